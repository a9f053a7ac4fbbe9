// A regular file mapped into memory for `msgevents validate`, so that its bytes are validated
// where the page cache holds them (Validator::push_lasting): reading a 50 MB file with read()
// was a fifth of the time of the thread that frames, merges and writes the report with --jobs 2,
// a copy by the kernel that a mapping does not make.
//
// A mapped file that another process truncates while it is read raises SIGBUS on the pages past
// its new end. The handler installed while a MappedFile lives says so on stderr and exits with
// status 2, the CLI's status for an I/O error, instead of a crash.
//
// Its pages count in the process's resident memory once read, until release_before() lets them go.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace msgevents::cli {

class MappedFile {
 public:
  // The file mapped, or nothing when it is not a regular file of at least one byte, or cannot
  // be opened or mapped: the caller reads it as a stream instead (which reports why it cannot).
  static std::optional<MappedFile> open(const std::string& path) {
    // Looked at before it is opened: opening a FIFO waits for its writer, and closing it again
    // before the stream reads it could leave that writer with no reader (EPIPE).
    struct stat before {};
    if (::stat(path.c_str(), &before) != 0 || !S_ISREG(before.st_mode)) return std::nullopt;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    struct stat status {};  // of the file opened, which may not be the one looked at
    void* address = MAP_FAILED;
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0) {
      address = ::mmap(nullptr, static_cast<size_t>(status.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);  // the mapping keeps the file
    if (address == MAP_FAILED) return std::nullopt;
    ::madvise(address, static_cast<size_t>(status.st_size), MADV_SEQUENTIAL);
    return MappedFile(static_cast<const char*>(address), static_cast<size_t>(status.st_size), path);
  }

  MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_), previous_(other.previous_) {
    other.data_ = nullptr;
  }
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (!data_) return;
    ::munmap(const_cast<char*>(data_), size_);
    ::sigaction(SIGBUS, &previous_, nullptr);
  }

  std::string_view bytes() const { return std::string_view(data_, size_); }

  // Lets the pages before `offset` go (the file's pages would otherwise count in the process's
  // resident memory to the end, 50 MB for a 50 MB file). A page read again after that is read
  // from the file again: this bounds memory, it never changes what is read.
  void release_before(size_t offset) {
    static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t end = offset / page * page;
    if (end <= released_) return;
    ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  MappedFile(const char* data, size_t size, const std::string& path) : data_(data), size_(size) {
    // The message is made now: a signal handler may only write() what is ready.
    const std::string text = "msgevents validate: " + path + ": the file shrank while it was read\n";
    message_length_ = std::min(text.size(), sizeof message_);
    std::memcpy(message_, text.data(), message_length_);
    struct sigaction action {};
    action.sa_handler = [](int) {
      const ssize_t written = ::write(STDERR_FILENO, message_, message_length_);
      (void)written;
      ::_exit(2);
    };
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &previous_);
  }
  inline static char message_[512];
  inline static size_t message_length_ = 0;

  const char* data_;
  size_t size_;
  size_t released_ = 0;  // release_before()
  struct sigaction previous_ {};
};

}  // namespace msgevents::cli
