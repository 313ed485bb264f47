// Parsing JSON input safely (UTF-8 validated, bounded depth, line:column in errors) and
// reading objects field by field with the JSON path in every error.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.h"

namespace regcat::json {

inline constexpr int kMaxDepth = 64;

// Parses bytes; throws regcat::Error (Invalid) naming `source`, line and column.
void parse(rapidjson::Document& doc, std::string_view bytes, const std::string& source);

// Reads the fields of one JSON object. Every accessor records the field as known; finish()
// rejects any field that was not read, so that a misspelt field is an error, not lost data.
class ObjectReader {
 public:
  ObjectReader(const rapidjson::Value& v, std::string path);
  const std::string& path() const { return path_; }
  std::string at(const std::string& field) const;

  bool has(const char* field);
  std::string str(const char* field, bool required = false);
  Text text(const char* field, bool required = false);
  std::optional<double> number(const char* field);
  std::optional<int> integer(const char* field);
  // A whole number >= 0 up to 2^53 (a count).
  std::optional<long long> count(const char* field);
  std::optional<bool> boolean(const char* field);
  std::vector<std::string> strings(const char* field);
  // The array's elements (empty when absent); an error when present but not an array.
  const rapidjson::Value* array(const char* field);
  const rapidjson::Value* object(const char* field);
  // Marks fields that are accepted and ignored (store-managed values in exported documents).
  void ignore(std::initializer_list<const char*> fields);
  void finish();

 private:
  const rapidjson::Value* get(const char* field);
  const rapidjson::Value& v_;
  std::string path_;
  std::set<std::string> seen_;
};

}  // namespace regcat::json
