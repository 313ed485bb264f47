// Work items 0..n-1 spread over threads: the pattern of `regcat export all` (formats) and of
// suggestions for a register (variables). Each thread calls makeWorker() once — where it sets
// up what it must not share, such as its own database connection — and then the returned
// callable for every item it takes. The first exception stops the other threads from taking
// more items and is rethrown once all have finished.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace regcat {

// The number of cores (at least 1).
inline unsigned coreCount() {
  return std::max(1u, std::thread::hardware_concurrency());
}

template <typename MakeWorker>
void parallelFor(size_t n, unsigned threads, MakeWorker&& makeWorker) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mu;
  auto run = [&] {
    try {
      auto work = makeWorker();
      for (size_t i; !failed && (i = next++) < n;) work(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  threads = unsigned(std::clamp<size_t>(threads, 1, std::max<size_t>(n, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run);
  run();  // the calling thread is one of them
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace regcat
