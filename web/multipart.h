// multipart/form-data request bodies (file uploads from the web app and curl -F).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regcat::web {

struct FormPart {
  std::string name, filename, content_type;
  std::string body;
};

// The boundary parameter of a multipart Content-Type, if it is one.
std::optional<std::string> multipartBoundary(const std::string& contentType);
// Parses the parts; throws regcat::Error (Invalid) on a malformed body.
std::vector<FormPart> parseMultipart(std::string_view body, const std::string& boundary);

}  // namespace regcat::web
