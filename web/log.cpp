#include "web/log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>
#include <mutex>

#include "catalog/text.h"

namespace regcat::web {

void logEvent(const char* level, const std::string& msg,
              const std::vector<std::pair<std::string, std::string>>& fields,
              const std::vector<std::pair<std::string, double>>& numbers) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](const std::string& s) {
    // Text from requests may be anything; the log line must stay valid JSON.
    const std::string v = text::isValidUtf8(s) ? s : std::string("(not UTF-8)");
    w.String(v.data(), rapidjson::SizeType(v.size()));
  };
  w.StartObject();
  w.Key("ts");
  str(text::now());
  w.Key("level");
  w.String(level);
  w.Key("msg");
  str(msg);
  for (const auto& [k, v] : fields) {
    w.Key(k.c_str());
    str(v);
  }
  for (const auto& [k, v] : numbers) {
    w.Key(k.c_str());
    w.Double(v);
  }
  w.EndObject();
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::cerr << buf.GetString() << '\n';
}

}  // namespace regcat::web
