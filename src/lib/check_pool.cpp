#include "check_pool.hpp"

#include <algorithm>

namespace msgevents::detail {

CheckPool::CheckPool(unsigned workers, const std::function<std::unique_ptr<BatchWorker>()>& make_checker) {
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) {
    std::shared_ptr<BatchWorker> checker = make_checker();
    threads_.emplace_back([this, checker] { work(*checker); });
  }
}

CheckPool::~CheckPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void CheckPool::submit(std::unique_ptr<Batch> batch) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_.push_back({std::move(batch), false, false});
  }
  work_ready_.notify_one();
}

std::unique_ptr<Batch> CheckPool::next_done(bool wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (slots_.empty()) return nullptr;
  if (wait) batch_done_.wait(lock, [this] { return slots_.front().done; });
  if (!slots_.front().done) return nullptr;
  std::unique_ptr<Batch> batch = std::move(slots_.front().batch);
  slots_.pop_front();
  return batch;
}

size_t CheckPool::in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

bool CheckPool::help(BatchWorker& checker) {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto unclaimed = std::find_if(slots_.begin(), slots_.end(), [](const Slot& slot) { return !slot.claimed; });
  if (unclaimed == slots_.end()) return false;
  // Only the caller pops slots (next_done), so this one stays put while it is checked.
  check_claimed(*unclaimed, checker, lock);
  return true;
}

void CheckPool::check_claimed(Slot& slot, BatchWorker& checker, std::unique_lock<std::mutex>& lock) {
  slot.claimed = true;
  Batch& batch = *slot.batch;
  lock.unlock();
  try {
    checker.check(batch);
  } catch (...) {
    batch.failure = std::current_exception();
  }
  lock.lock();
  slot.done = true;
  batch_done_.notify_all();
}

void CheckPool::work(BatchWorker& checker) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto unclaimed = [this] {
      return std::find_if(slots_.begin(), slots_.end(), [](const Slot& slot) { return !slot.claimed; });
    };
    work_ready_.wait(lock, [&] { return stopping_ || unclaimed() != slots_.end(); });
    if (stopping_) return;
    check_claimed(*unclaimed(), checker, lock);  // a deque's elements stay put while others are added or popped
  }
}

unsigned effective_jobs(uint32_t jobs) {
  constexpr unsigned kMostJobs = 64;
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  return std::min<unsigned>(jobs, kMostJobs);
}

}  // namespace msgevents::detail
