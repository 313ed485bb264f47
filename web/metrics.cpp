#include "web/metrics.h"

#include <cstdio>
#include <set>

namespace regcat::web {
namespace {

// Segments kept as they are: collections and operations of the API, FHIR and FDP.
const std::set<std::string>& vocabulary() {
  static const std::set<std::string> v = {
      "api",     "registers",      "datasets",      "variables",      "codelists",
      "export",  "history",        "imports",       "suggestions",    "mappings",
      "review",  "review-queue",   "settings",      "check-releases", "bulk",
      "suggest", "import",         "terminology",   "concepts",       "subsumes",
      "ecl",     "compatibility",  "harmonisation", "matrix",         "linkage-plans",
      "status",  "session",        "users",         "audit",          "openapi.json",
      "fhir",    "metadata",       "CodeSystem",    "ValueSet",       "ConceptMap",
      "$lookup", "$validate-code", "$subsumes",     "$expand",        "$translate",
      "fdp",     "catalog",        "dataset",       "distribution",   "data-request",
      "healthz", "metrics"};
  return v;
}

std::string labelValue(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\' || c == '"') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o;
}

}  // namespace

std::string routeTemplate(const std::vector<std::string>& segments) {
  if (segments.empty()) return "/";
  if (!vocabulary().count(segments[0])) return "/static";
  std::string r;
  for (const auto& s : segments) r += "/" + (vocabulary().count(s) ? s : std::string("{id}"));
  return r;
}

Metrics::Series& Metrics::series(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& p = requests_[key];
  if (!p) p = std::make_unique<Series>();
  return *p;
}

Metrics::Latency& Metrics::latency(const std::string& route) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& p = latency_[route];
  if (!p) p = std::make_unique<Latency>();
  return *p;
}

void Metrics::observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  series(method + '\x1f' + route + '\x1f' + std::to_string(status)).count++;
  Latency& l = latency(route);
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) l.buckets[i]++;
  l.count++;
  l.sum_us += static_cast<unsigned long long>(seconds * 1e6);
  if (method == "POST" && route == "/api/registers/{id}/imports") {
    const std::string result = status == 201 ? "committed" : status == 200 ? "dry_run" : "rejected";
    std::lock_guard<std::mutex> lock(mu_);
    auto& p = imports_[result];
    if (!p) p = std::make_unique<Series>();
    p->count++;
  }
}

std::string Metrics::render(const std::vector<std::pair<std::string, double>>& gauges) const {
  std::string o;
  char num[64];
  auto value = [&](double v) {
    std::snprintf(num, sizeof num, "%.17g", v);
    return std::string(num);
  };
  std::lock_guard<std::mutex> lock(mu_);
  o += "# HELP regcat_http_requests_total HTTP requests answered, by method, route and status.\n";
  o += "# TYPE regcat_http_requests_total counter\n";
  for (const auto& [key, s] : requests_) {
    const size_t a = key.find('\x1f'), b = key.find('\x1f', a + 1);
    o += "regcat_http_requests_total{method=\"" + labelValue(key.substr(0, a)) + "\",route=\"" +
         labelValue(key.substr(a + 1, b - a - 1)) + "\",status=\"" + key.substr(b + 1) + "\"} " +
         std::to_string(s->count.load()) + "\n";
  }
  o += "# HELP regcat_http_request_duration_seconds Time from parsed request to sent response.\n";
  o += "# TYPE regcat_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    const std::string r = labelValue(route);
    for (size_t i = 0; i < kBuckets.size(); ++i)
      o += "regcat_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" +
           value(kBuckets[i]) + "\"} " + std::to_string(l->buckets[i].load()) + "\n";
    o += "regcat_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " +
         std::to_string(l->count.load()) + "\n";
    o += "regcat_http_request_duration_seconds_sum{route=\"" + r + "\"} " +
         value(double(l->sum_us.load()) / 1e6) + "\n";
    o += "regcat_http_request_duration_seconds_count{route=\"" + r + "\"} " +
         std::to_string(l->count.load()) + "\n";
  }
  o += "# HELP regcat_imports_total Dictionary uploads, by outcome.\n";
  o += "# TYPE regcat_imports_total counter\n";
  for (const char* result : {"committed", "dry_run", "rejected"}) {
    auto it = imports_.find(result);
    o += std::string("regcat_imports_total{result=\"") + result + "\"} " +
         std::to_string(it == imports_.end() ? 0ull : it->second->count.load()) + "\n";
  }
  for (const auto& [name, v] : gauges) {
    o += "# TYPE " + name.substr(0, name.find('{')) + " gauge\n";
    o += name + " " + value(v) + "\n";
  }
  return o;
}

}  // namespace regcat::web
