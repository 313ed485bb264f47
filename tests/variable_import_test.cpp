// Variable imports end to end: encodings, format detection, the re-import diff and dry run,
// the JSON round trip, and the upload API (multipart) on the real server.
#include "importers/variable_import.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "exporters/regcat_json_exporter.h"
#include "importers/regcat_json_importer.h"
#include "importers/source_file.h"
#include "importers/template_exporter.h"
#include "test_support.h"

using namespace regcat;

namespace {

std::string fixture(const std::string& rel) {
  return test::readFile(test::sourceDir() + "/tests/fixtures/" + rel);
}
std::string shared(const std::string& rel) {
  return test::readFile(test::sourceDir() + "/../shared/conformance/fixtures/" + rel);
}

// "Rökning;Övrigt;Längd" in Windows-1252: ö = F6, Ö = D6, ä = E4.
const std::string kW1252 =
    "dataset;name;label_sv;datatype;codes\r\n"
    "besok;rokning;R\xF6kning;code;1=Ja | 2=Nej | 9=Ok\xE4nt*\r\n"
    "besok;ovrigt;\xD6vrigt om f\xF6tter;string;\r\n";

VariableImportOptions opts(const std::string& reg, const std::string& format = "auto") {
  VariableImportOptions o;
  o.register_id = reg;
  o.format = format;
  return o;
}

}  // namespace

TEST_CASE("encodings: Windows-1252, UTF-16 and UTF-8 with BOM give the same Swedish text",
          "[import][encoding]") {
  auto w = parseVariableFile("w.csv", kW1252, opts("reg"));
  CHECK(w.encoding == "windows-1252");
  REQUIRE(w.doc.variables.size() == 2);
  CHECK(w.doc.variables[0].label.sv == "Rökning");
  CHECK(w.doc.variables[1].label.sv == "Övrigt om fötter");
  REQUIRE(w.doc.codelists.size() == 1);
  CHECK(w.doc.codelists[0].items[2].label.sv == "Okänt");
  CHECK(w.doc.codelists[0].items[2].is_missing);

  // The same text as UTF-8 with a BOM and as UTF-16LE with a BOM.
  const std::string utf8 = "dataset;name;label_sv;datatype\nbesok;rokning;Rökning;string\n";
  auto b = parseVariableFile("b.csv", "\xEF\xBB\xBF" + utf8, opts("reg"));
  CHECK(b.encoding == "UTF-8");
  CHECK(b.doc.variables[0].label.sv == "Rökning");
  std::string u16 = "\xFF\xFE";
  for (char16_t c :
       std::u16string(u"dataset;name;label_sv;datatype\nbesok;rokning;Rökning;string\n")) {
    u16 += char(c & 0xFF);
    u16 += char(c >> 8);
  }
  auto u = parseVariableFile("u.csv", u16, opts("reg"));
  CHECK(u.encoding == "UTF-16LE");
  CHECK(u.doc.variables[0].label.sv == "Rökning");
  // --encoding overrides detection.
  VariableImportOptions forced = opts("reg");
  forced.encoding = "ISO-8859-1";
  CHECK(parseVariableFile("w.csv", kW1252, forced).doc.variables[0].label.sv == "Rökning");
  // Broken UTF-8 is an error naming the line, not a silently garbled Windows-1252 reading.
  CHECK_THROWS_WITH(
      parseVariableFile("bad.csv",
                        "dataset;name;label_sv;datatype\nbesok;x;R\xC3\xB6kning \xC3\x28;string\n",
                        opts("reg")),
      Catch::Contains("bad.csv:2") && Catch::Contains("not valid UTF-8"));
  forced.encoding = "no-such-encoding";
  CHECK_THROWS_WITH(parseVariableFile("w.csv", kW1252, forced),
                    Catch::Contains("unknown encoding"));
}

TEST_CASE("format detection", "[import][detect]") {
  CHECK(parseVariableFile("d.csv", fixture("redcap/hjartsvikt_dictionary.csv"), opts("r")).format ==
        "redcap");
  CHECK(parseVariableFile("o.xml", fixture("odm/hjartsvikt.xml"), opts("r")).format == "odm");
  CHECK(parseVariableFile("c.xml", fixture("ddi-c/hoftplastik.xml"), opts("r")).format == "ddi-c");
  CHECK(parseVariableFile("l.xml", fixture("ddi-l/diabetes.xml"), opts("r")).format == "ddi-l");
  CHECK(parseVariableFile("x.xml", shared("ddi-l-3.3/RepresentedVariableExample.xml"), opts("r"))
            .format == "ddi-l");
  CHECK(parseVariableFile("p.xml", shared("redcap/checkboxes-1/project.xml"), opts("r")).format ==
        "odm");
  CHECK_THROWS_WITH(parseVariableFile("x.xml", "<?xml version=\"1.0\"?><html/>", opts("r")),
                    Catch::Contains("root element <html>"));
  CHECK_THROWS_WITH(parseVariableFile("x.csv", "a,b\n", opts("r", "nonsense")),
                    Catch::Contains("not one of"));
  CHECK_THROWS_AS(parseVariableFile("x.csv", kW1252, opts("Bad Id")), Error);
}

TEST_CASE("hostile uploads are refused before anything is parsed into the catalogue",
          "[import][hostile]") {
  const std::string xxe =
      "<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
      "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\">&e;</ODM>";
  CHECK_THROWS_WITH(parseVariableFile("x.xml", xxe, opts("r")), Catch::Contains("x.xml"));
  CHECK_THROWS_WITH(parseVariableFile("t.csv", "dataset,name\n\"besok,trunc", opts("r", "csv")),
                    Catch::Contains("t.csv:2"));
}

TEST_CASE("re-importing a changed REDCap dictionary versions, closes and keeps history",
          "[import][versioning]") {
  test::TestStore t;
  const std::string v1 = fixture("redcap/hjartsvikt_dictionary.csv");
  ImportOptions first;
  first.effective_date = "2020-01-01";
  WriteContext ctx;
  ctx.format = "redcap";
  auto [parsed, report] =
      applyVariableImport(*t.store, "dict.csv", v1, opts("hfreg"), first, ctx, "Region Örebro län");
  REQUIRE(report.count("added") > 5);
  CHECK(t.store->getRegister("hfreg")->cpua.name == "Region Örebro län");
  const auto& victim = parsed.doc.variables[2];  // a real variable of the dictionary
  const auto& gone = parsed.doc.variables[3];

  // Version 2 of the dictionary: one label changed, one field removed.
  std::istringstream in(v1);
  std::string line, v2;
  while (std::getline(in, line)) {
    if (line.rfind(gone.name + ",", 0) == 0) continue;
    if (line.rfind(victim.name + ",", 0) == 0) {
      const size_t pos = line.find(victim.label.sv);
      REQUIRE(pos != std::string::npos);
      line.replace(pos, victim.label.sv.size(), victim.label.sv + " (ändrad)");
    }
    v2 += line + "\n";
  }
  ImportOptions dry;
  dry.dry_run = true;
  dry.effective_date = "2024-01-01";
  auto [p2, diff] = applyVariableImport(*t.store, "dict.csv", v2, opts("hfreg"), dry, ctx);
  CHECK(diff.count("changed") == 1);
  CHECK(diff.count("removed") == 1);
  CHECK(t.store->getVariable("hfreg", victim.dataset_id, victim.name)->version == 1);

  ImportOptions second;
  second.effective_date = "2024-01-01";
  auto [p3, applied] = applyVariableImport(*t.store, "dict.csv", v2, opts("hfreg"), second, ctx);
  CHECK(applied.count("changed") == 1);
  auto now = t.store->getVariable("hfreg", victim.dataset_id, victim.name);
  CHECK(now->version == 2);
  CHECK(now->label.sv == victim.label.sv + " (ändrad)");
  auto before = t.store->getVariable("hfreg", victim.dataset_id, victim.name, "2022-06-01");
  REQUIRE(before);
  CHECK(before->label.sv == victim.label.sv);
  CHECK(t.store->getVariable("hfreg", gone.dataset_id, gone.name)->valid_to == "2023-12-31");
  // The register's own description is not replaced by a variable import.
  CHECK(t.store->getRegister("hfreg")->cpua.name == "Region Örebro län");
}

TEST_CASE("REDCap dictionary -> regcat JSON -> empty catalogue gives the same variables",
          "[import][roundtrip]") {
  test::TestStore a, b;
  applyVariableImport(*a.store, "dict.csv", fixture("redcap/hjartsvikt_dictionary.csv"), opts("rt"),
                      {}, {}, "Region Halland");
  std::ostringstream out;
  exportCatalogJson(*a.store, {"rt"}, {}, out);
  b.store->applyImport(importCatalogJson(out.str(), "rt.json"), {}, {});
  const auto va = a.store->listVariables("rt", "", true),
             vb = b.store->listVariables("rt", "", true);
  REQUIRE(va.size() == vb.size());
  for (size_t i = 0; i < va.size(); ++i) {
    INFO(va[i].key());
    CHECK(va[i].sameDefinition(vb[i]));
    CHECK(va[i].valid_from == vb[i].valid_from);
  }
  for (const auto& c : a.store->listCodeLists("rt"))
    CHECK(b.store->getCodeList(c.id)->sameContent(c));
}

TEST_CASE("upload API: multipart, dry run, authorisation, errors", "[import][api]") {
  test::TestServer ts(false);
  const std::string boundary = "----regcatBoundary7MA4YWxk";
  auto multipart = [&](const std::string& filename, const std::string& content,
                       std::map<std::string, std::string> fields = {}) {
    std::string body;
    for (const auto& [k, v] : fields)
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" +
              v + "\r\n";
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" +
            boundary + "--\r\n";
    return body;
  };
  auto post = [&](const std::string& target, const std::string& body, bool auth = true) {
    std::map<std::string, std::string> h = {
        {"Content-Type", "multipart/form-data; boundary=" + boundary}};
    if (auth) h["Authorization"] = std::string("Bearer ") + test::TestServer::kToken;
    return test::http(ts.port(), "POST", target, body, h);
  };
  const std::string dict = fixture("redcap/hjartsvikt_dictionary.csv");

  CHECK(post("/api/registers/upreg/imports", multipart("d.csv", dict), false).status == 401);

  auto dry = post("/api/registers/upreg/imports?dry_run=1", multipart("d.csv", dict));
  INFO(dry.body);
  CHECK(dry.status == 200);
  rapidjson::Document d;
  d.Parse(dry.body.c_str());
  CHECK(std::string(d["format"].GetString()) == "redcap");
  CHECK(d["report"]["dry_run"].GetBool());
  CHECK(d["report"]["counts"]["added"].GetInt() > 5);
  CHECK(ts.get("/api/registers/upreg").status == 404);  // nothing written

  auto real = post("/api/registers/upreg/imports",
                   multipart("d.csv", dict, {{"cpua", "Region Gävleborg"}}));
  CHECK(real.status == 201);
  auto reg = ts.get("/api/registers/upreg");
  CHECK(reg.status == 200);
  CHECK(reg.body.find("Region Gävleborg") != std::string::npos);

  // Options may also come as form fields; a Windows-1252 CSV keeps its Swedish letters.
  auto w = post("/api/registers/upreg/imports", multipart("w.csv", kW1252, {{"format", "csv"}}));
  CHECK(w.status == 201);
  auto v = ts.get("/api/variables/upreg/besok/ovrigt");
  CHECK(v.body.find("Övrigt om fötter") != std::string::npos);

  auto bad =
      post("/api/registers/upreg/imports",
           multipart("x.xml", "<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY e \"x\">]><ODM/>"));
  CHECK(bad.status == 400);
  CHECK(bad.body.find("x.xml") != std::string::npos);
  CHECK(post("/api/registers/upreg/imports", "not multipart at all").status == 400);
  CHECK(ts.get("/healthz").status == 200);
}

TEST_CASE("every demo register exported as xlsx and csv re-imports without a change",
          "[import][roundtrip]") {
  test::TestStore t(true);
  for (const auto& r : t.store->listRegisters()) {
    const RegisterDocument doc = loadRegisterDocument(*t.store, r.id);
    for (const auto& [name, bytes] : {std::pair{r.id + ".xlsx", writeVariableListXlsx(doc)}}) {
      INFO(name);
      ImportOptions dry;
      dry.dry_run = true;
      auto [parsed, report] = applyVariableImport(*t.store, name, bytes, opts(r.id), dry, {});
      CHECK(report.count("unchanged") == int(doc.variables.size()));
      CHECK(report.count("changed") + report.count("added") + report.count("removed") == 0);
      for (const auto& c : report.codelists) CHECK(c.change == "unchanged");
    }
  }
}

TEST_CASE("the OMOP CDM 5.4 field list imports as one dataset per table", "[import][fields]") {
  auto r = parseVariableFile("OMOP_CDMv5.4_Field_Level.csv",
                             shared("omop-cdm-5.4/OMOP_CDMv5.4_Field_Level.csv"), opts("omop"));
  CHECK(r.format == "fields");
  CHECK(r.doc.datasets.size() == 39);
  CHECK(r.doc.variables.size() == 432);
  CHECK(r.skipped.empty());
  const auto offset = std::find_if(
      r.doc.variables.begin(), r.doc.variables.end(),
      [](const Variable& v) { return v.dataset_id == "note_nlp" && v.name == "offset"; });
  CHECK(offset != r.doc.variables.end());  // "offset" is quoted in the file
  test::TestStore t;
  ImportOptions io;
  io.require_cpua = false;  // as a variable import does
  auto applied = t.store->applyImport({{r.doc}}, io, {});
  CHECK(applied.count("added") == 432);
}

TEST_CASE("upload API: every format through the real server", "[import][api]") {
  test::TestServer ts(false);
  auto upload = [&](const std::string& reg, const std::string& filename,
                    const std::string& content) {
    return test::http(ts.port(), "POST", "/api/registers/" + reg + "/imports?filename=" + filename,
                      content,
                      {{"Authorization", std::string("Bearer ") + test::TestServer::kToken},
                       {"Content-Type", "application/octet-stream"}});
  };
  struct Case {
    std::string reg, file, content, format;
  };
  const std::vector<Case> cases = {
      {"odmreg", "hjartsvikt.xml", fixture("odm/hjartsvikt.xml"), "odm"},
      {"redcapxml", "project.xml", shared("redcap/clinical-trial-1/project.xml"), "odm"},
      {"ddicreg", "hoftplastik.xml", fixture("ddi-c/hoftplastik.xml"), "ddi-c"},
      {"ddilreg", "diabetes.xml", fixture("ddi-l/diabetes.xml"), "ddi-l"},
      {"omopreg", "fields.csv", shared("omop-cdm-5.4/OMOP_CDMv5.4_Field_Level.csv"), "fields"},
      {"xlsxreg", "lista.xlsx",
       writeVariableListXlsx(parseVariableFile("w.csv", kW1252, opts("xlsxreg")).doc), "xlsx"}};
  for (const auto& c : cases) {
    INFO(c.file);
    auto r = upload(c.reg, c.file, c.content);
    CHECK(r.status == 201);
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    REQUIRE_FALSE(d.HasParseError());
    CHECK(std::string(d["format"].GetString()) == c.format);
    CHECK(d["variables"].GetInt() > 0);
    CHECK(ts.get("/api/registers/" + c.reg + "/variables").status == 200);
  }
}
