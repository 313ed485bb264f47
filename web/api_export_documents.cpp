// The document exports (RUT, DDI-Codebook, DDI-Lifecycle) under /api/export/{format} and
// /api/registers/{id}/export/{format}: the same bytes as `regcat export FORMAT`.
#include <sstream>

#include "exporters/document_export.h"
#include "mapping/mapping_store.h"
#include "web/api.h"

namespace regcat::web {

std::optional<Response> Api::exportDocument(const std::vector<std::string>& registerIds,
                                            const std::string& format) {
  const DocumentFormat* f = findDocumentFormat(format);
  if (!f) return std::nullopt;
  RutOptions opt;
  opt.ctx = ctx_;
  // Unknown registers are refused before anything is written (NotFound names the register).
  const std::vector<std::string> ids =
      registerIds.empty() ? registerIds : exportRegisterIds(store_, registerIds);
  Response r;
  r.stream = [this, format, ids, opt](std::ostream& out) {
    regcat::exportDocument(format, store_, ids, approvedMappingsFor(*mappings_, ids), opt, out);
  };
  r.content_type = f->content_type;
  r.headers.push_back({"Content-Disposition",
                       "attachment; filename=\"" + documentFileName(*f, registerIds) + "\""});
  return r;
}

}  // namespace regcat::web
