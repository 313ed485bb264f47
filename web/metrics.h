// Request metrics for GET /metrics in the Prometheus text format (version 0.0.4): requests by
// method, route and status, a latency histogram per route, and import outcomes. Routes are
// path templates ("/api/variables/{id}/{id}/{id}/history"), so the number of series stays
// bounded whatever clients send. Counting is lock-free on the request path except for the
// first request of a new series.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace regcat::web {

// The route template of a path's segments: collection names and known operations are kept,
// every other segment becomes {id}; /static files are one route.
std::string routeTemplate(const std::vector<std::string>& segments);

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};
  void observe(const std::string& method, const std::string& route, int status, double seconds);
  // Appends the text exposition; `gauges` are extra "name value" pairs sampled by the caller.
  std::string render(const std::vector<std::pair<std::string, double>>& gauges) const;

 private:
  struct Series {
    std::atomic<unsigned long long> count{0};
  };
  struct Latency {
    std::array<std::atomic<unsigned long long>, kBuckets.size()> buckets{};
    std::atomic<unsigned long long> count{0};
    std::atomic<unsigned long long> sum_us{0};
  };
  Series& series(const std::string& key);
  Latency& latency(const std::string& route);

  mutable std::mutex mu_;  // guards the maps' shape, not the counters
  std::map<std::string, std::unique_ptr<Series>> requests_;  // method \x1f route \x1f status
  std::map<std::string, std::unique_ptr<Latency>> latency_;
  std::map<std::string, std::unique_ptr<Series>> imports_;  // result
};

}  // namespace regcat::web
