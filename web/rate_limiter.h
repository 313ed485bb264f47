// A sliding one-minute window of events per (bucket, client): logins and writes are limited per
// client address so that one client cannot guess passwords or flood the catalogue.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace regcat::web {

class RateLimiter {
 public:
  // Records an event and returns true when it is within perMinute (<= 0: unlimited).
  bool allow(const std::string& bucket, const std::string& client, int perMinute) {
    if (perMinute <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_);
    if (events_.size() > 100000) events_.clear();  // bounded memory under address churn
    auto& q = events_[{bucket, client}];
    while (!q.empty() && now - q.front() > std::chrono::minutes(1)) q.pop_front();
    if (int(q.size()) >= perMinute) return false;
    q.push_back(now);
    return true;
  }

 private:
  std::mutex m_;
  std::map<std::pair<std::string, std::string>, std::deque<std::chrono::steady_clock::time_point>>
      events_;
};

}  // namespace regcat::web
