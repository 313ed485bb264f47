#include "importers/json_document.h"

#include <rapidjson/error/en.h>

#include "catalog/errors.h"
#include "catalog/text.h"

namespace regcat::json {
namespace {

std::pair<size_t, size_t> lineColumn(std::string_view s, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// Depth check without recursion deeper than the limit: stops descending past kMaxDepth.
bool tooDeep(const rapidjson::Value& v, int level) {
  if (level > kMaxDepth) return true;
  if (v.IsObject()) {
    for (auto& m : v.GetObject())
      if (tooDeep(m.value, level + 1)) return true;
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray())
      if (tooDeep(e, level + 1)) return true;
  }
  return false;
}

const char* typeName(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

}  // namespace

void parse(rapidjson::Document& doc, std::string_view bytes, const std::string& source) {
  std::string_view body = bytes;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  // Iterative parsing: a deeply nested hostile document cannot exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError()) {
    auto [line, column] = lineColumn(body, doc.GetErrorOffset());
    throw invalid(
        source + ":" + std::to_string(line) + ":" + std::to_string(column),
        std::string("malformed JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (tooDeep(doc, 0))
    throw invalid(source, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
}

ObjectReader::ObjectReader(const rapidjson::Value& v, std::string path)
    : v_(v), path_(std::move(path)) {
  if (!v.IsObject())
    throw invalid(path_.empty() ? "(document)" : path_,
                  std::string("expected an object, found ") + typeName(v));
}

std::string ObjectReader::at(const std::string& field) const {
  return path_.empty() ? field : path_ + "." + field;
}

const rapidjson::Value* ObjectReader::get(const char* field) {
  seen_.insert(field);
  auto it = v_.FindMember(field);
  if (it == v_.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

bool ObjectReader::has(const char* field) {
  auto it = v_.FindMember(field);
  return it != v_.MemberEnd() && !it->value.IsNull();
}

std::string ObjectReader::str(const char* field, bool required) {
  const auto* v = get(field);
  if (!v) {
    if (required) throw invalid(at(field), "is required");
    return {};
  }
  if (!v->IsString())
    throw invalid(at(field), std::string("expected a string, found ") + typeName(*v));
  std::string s = text::nfc(std::string_view(v->GetString(), v->GetStringLength()), at(field));
  if (required && s.empty()) throw invalid(at(field), "must not be empty");
  return s;
}

Text ObjectReader::text(const char* field, bool required) {
  const auto* v = get(field);
  Text t;
  if (v && v->IsString()) {
    // A plain string is Swedish text.
    t.sv = text::nfc(std::string_view(v->GetString(), v->GetStringLength()), at(field));
  } else if (v) {
    ObjectReader o(*v, at(field));
    t.sv = o.str("sv");
    t.en = o.str("en");
    o.finish();
  }
  if (required && t.empty()) throw invalid(at(field), "is required");
  return t;
}

std::optional<double> ObjectReader::number(const char* field) {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->IsNumber())
    throw invalid(at(field), std::string("expected a number, found ") + typeName(*v));
  return v->GetDouble();
}

std::optional<int> ObjectReader::integer(const char* field) {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->IsInt())
    throw invalid(at(field), std::string("expected an integer, found ") + typeName(*v));
  return v->GetInt();
}

std::optional<long long> ObjectReader::count(const char* field) {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->IsInt64() || v->GetInt64() < 0 || v->GetInt64() > (1ll << 53))
    throw invalid(at(field), std::string("expected a count (a whole number from 0), found ") +
                                 (v->IsNumber() ? "another number" : typeName(*v)));
  return v->GetInt64();
}

std::optional<bool> ObjectReader::boolean(const char* field) {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->IsBool())
    throw invalid(at(field), std::string("expected true or false, found ") + typeName(*v));
  return v->GetBool();
}

std::vector<std::string> ObjectReader::strings(const char* field) {
  std::vector<std::string> out;
  const auto* a = array(field);
  if (!a) return out;
  for (rapidjson::SizeType i = 0; i < a->Size(); ++i) {
    const auto& e = (*a)[i];
    const std::string w = at(field) + "[" + std::to_string(i) + "]";
    if (!e.IsString()) throw invalid(w, std::string("expected a string, found ") + typeName(e));
    out.push_back(text::nfc(std::string_view(e.GetString(), e.GetStringLength()), w));
  }
  return out;
}

const rapidjson::Value* ObjectReader::array(const char* field) {
  const auto* v = get(field);
  if (v && !v->IsArray())
    throw invalid(at(field), std::string("expected an array, found ") + typeName(*v));
  return v;
}

const rapidjson::Value* ObjectReader::object(const char* field) {
  const auto* v = get(field);
  if (v && !v->IsObject())
    throw invalid(at(field), std::string("expected an object, found ") + typeName(*v));
  return v;
}

void ObjectReader::ignore(std::initializer_list<const char*> fields) {
  for (const char* f : fields) seen_.insert(f);
}

void ObjectReader::finish() {
  for (auto& m : v_.GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (!seen_.count(name)) throw invalid(at(name), "unknown field");
  }
}

}  // namespace regcat::json
