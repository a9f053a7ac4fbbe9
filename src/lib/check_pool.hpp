// The worker threads of Options::jobs (native builds only: WebAssembly has no threads). A worker
// owns a Batch (event_batch.hpp) between submit() and its return by next_done(). Memory is bounded
// by the batches in flight: the session submits at most 2 per worker.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "event_batch.hpp"

namespace msgevents::detail {

class CheckPool {
 public:
  CheckPool(unsigned workers, const std::function<std::unique_ptr<BatchWorker>()>& make_checker);
  ~CheckPool();  // stops the workers (batches still in flight are dropped)
  CheckPool(const CheckPool&) = delete;
  CheckPool& operator=(const CheckPool&) = delete;

  void submit(std::unique_ptr<Batch> batch);
  // The oldest batch submitted and not yet returned, once checked: waits for it when `wait`,
  // else returns null if it is not done yet. Null when nothing is in flight.
  std::unique_ptr<Batch> next_done(bool wait);
  size_t in_flight() const;
  // Checks the oldest batch no worker has claimed, here on the caller's thread (the session's,
  // when it would otherwise wait for a worker): false when every batch in flight is claimed.
  bool help(BatchWorker& checker);
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Slot {
    std::unique_ptr<Batch> batch;
    bool claimed = false;
    bool done = false;
  };
  void work(BatchWorker& checker);
  // Checks the slot's batch (claimed, under the lock, which it releases while checking).
  void check_claimed(Slot& slot, BatchWorker& checker, std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // a batch waits for a worker, or the pool stops
  std::condition_variable batch_done_;
  std::deque<Slot> slots_;  // in submission order
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The number of worker threads for Options::jobs (0: one per core).
unsigned effective_jobs(uint32_t jobs);

}  // namespace msgevents::detail
