// POST /api/registers/{id}/imports: upload a data dictionary (multipart/form-data with a
// `file` part, or the raw file as the body with ?filename=) and get the import report; with
// dry_run=1 the report shows the diff and nothing is written.
#include "catalog/store.h"
#include "catalog/users.h"
#include "importers/source_file.h"
#include "importers/variable_import.h"
#include "web/api.h"
#include "web/api_util.h"
#include "web/multipart.h"

namespace regcat::web {

Response Api::imports(const Request& req) {
  const auto& s = req.segments;  // api registers {id} imports
  if (req.method != "POST") return methodNotAllowed("POST");
  const std::string& reg = s[2];
  const std::string actor = authorise(req, Permission::EditRegister, reg).name;

  std::map<std::string, std::string> fields = req.query;
  std::string fileName = req.param("filename").value_or("upload");
  std::string_view bytes = req.body;
  std::vector<FormPart> parts;
  if (auto boundary = multipartBoundary(req.header("content-type"))) {
    parts = parseMultipart(req.body, *boundary);
    const FormPart* file = nullptr;
    for (const auto& p : parts) {
      if (p.name == "file")
        file = &p;
      else if (!p.filename.empty() && !file)
        file = &p;
      else if (p.filename.empty())
        fields[p.name] = p.body;  // form fields carry options too
    }
    if (!file) throw invalid("file", "the upload has no file part (name it 'file')");
    bytes = file->body;
    if (!file->filename.empty()) fileName = file->filename;
  }
  if (bytes.empty()) throw invalid("file", "the uploaded file is empty");
  auto field = [&](const std::string& k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  auto truthy = [&](const std::string& k) {
    const std::string v = field(k);
    return v == "1" || v == "true" || v == "yes" || v == "on";
  };
  VariableImportOptions opt;
  opt.register_id = reg;
  opt.format = field("format").empty() ? "auto" : field("format");
  opt.dataset = field("dataset");
  opt.encoding = field("encoding");
  opt.skip_invalid = truthy("skip_invalid");
  ImportOptions io;
  io.dry_run = truthy("dry_run");
  io.effective_date = field("effective_date");
  if (!io.effective_date.empty() && !isValidDate(io.effective_date))
    throw invalid("effective_date", "'" + io.effective_date + "' is not a date (YYYY-MM-DD)");
  WriteContext ctx;
  ctx.actor = actor;
  ctx.format = "upload";
  ctx.source_file = fileName;
  ctx.sha256 = sha256Hex(std::string(bytes));
  // References, not a structured binding: clang 14 cannot capture bindings in the lambda below.
  const auto imported = applyVariableImport(store_, fileName, bytes, opt, io, ctx, field("cpua"));
  const auto& parsed = imported.first;
  const auto& report = imported.second;
  return json(report.dry_run ? 200 : 201, write([&](JsonWriter& w) {
                w.StartObject();
                w.Key("register");
                writeString(w, reg);
                w.Key("file");
                writeString(w, fileName);
                w.Key("format");
                writeString(w, parsed.format);
                w.Key("encoding");
                writeString(w, parsed.encoding);
                w.Key("datasets");
                w.Int(int(parsed.doc.datasets.size()));
                w.Key("variables");
                w.Int(int(parsed.doc.variables.size()));
                w.Key("codelists");
                w.Int(int(parsed.doc.codelists.size()));
                w.Key("skipped");
                w.StartArray();
                for (const auto& k : parsed.skipped) {
                  w.StartObject();
                  w.Key("where");
                  writeString(w, k.where);
                  w.Key("reason");
                  writeString(w, k.reason);
                  w.EndObject();
                }
                w.EndArray();
                w.Key("report");
                writeImportReport(w, report);
                w.EndObject();
              }));
}

}  // namespace regcat::web
