// Structured logs: one JSON object per line on standard error, with a timestamp, a level and
// a message, every value escaped — what journald, Loki or jq read without a parser of our own.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace regcat::web {

// level: "info", "warn" or "error". Numbers go in `numbers`, text in `fields`.
void logEvent(const char* level, const std::string& msg,
              const std::vector<std::pair<std::string, std::string>>& fields = {},
              const std::vector<std::pair<std::string, double>>& numbers = {});

}  // namespace regcat::web
