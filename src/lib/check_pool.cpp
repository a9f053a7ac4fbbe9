#include "check_pool.hpp"

#include <algorithm>

namespace msgevents::detail {

namespace {

StoredText store(std::string& strings, std::string_view text) {
  const StoredText stored{static_cast<uint32_t>(strings.size()), static_cast<uint32_t>(text.size())};
  strings.append(text);
  return stored;
}

std::string_view view(const std::string& strings, StoredText stored) {
  return std::string_view(strings).substr(stored.begin, stored.size);
}

}  // namespace

void Batch::capture(const EventFacts& facts, BatchEvent& event) {
  CapturedFacts& captured = event.facts;
  captured.facts = facts;
  captured.event_name = store(strings, facts.event_name);
  captured.aggregate_type = store(strings, facts.aggregate_type);
  captured.aggregate_id = store(strings, facts.aggregate_id);
  captured.event_id = store(strings, facts.event_id);
  captured.idempotency_key = store(strings, facts.idempotency_key);
  captured.facts.event_name = captured.facts.aggregate_type = captured.facts.aggregate_id = {};
  captured.facts.event_id = captured.facts.idempotency_key = {};
  captured.facts.resolver = nullptr;
  event.has_facts = true;
}

EventFacts Batch::restore(const BatchEvent& event) const {
  EventFacts facts = event.facts.facts;
  facts.event_name = view(strings, event.facts.event_name);
  facts.aggregate_type = view(strings, event.facts.aggregate_type);
  facts.aggregate_id = view(strings, event.facts.aggregate_id);
  facts.event_id = view(strings, event.facts.event_id);
  facts.idempotency_key = view(strings, event.facts.idempotency_key);
  return facts;
}

CheckPool::CheckPool(unsigned workers, const std::function<std::unique_ptr<BatchChecker>()>& make_checker) {
  threads_.reserve(workers);
  for (unsigned i = 0; i < workers; ++i) {
    std::shared_ptr<BatchChecker> checker = make_checker();
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

void CheckPool::work(BatchChecker& checker) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto unclaimed = [this] {
      return std::find_if(slots_.begin(), slots_.end(), [](const Slot& slot) { return !slot.claimed; });
    };
    work_ready_.wait(lock, [&] { return stopping_ || unclaimed() != slots_.end(); });
    if (stopping_) return;
    Slot& slot = *unclaimed();  // a deque's elements stay put while others are added or popped
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
}

unsigned effective_jobs(uint32_t jobs) {
  constexpr unsigned kMostJobs = 64;
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  return std::min<unsigned>(jobs, kMostJobs);
}

}  // namespace msgevents::detail
