// The register description exports of issue 7: RUT (GSIM JSON, variable list as .xlsx and
// CSV), DDI-Codebook 2.5 and DDI-Lifecycle 3.3. Each is exported from the demo catalogue (with
// the demo terminology and mappings, so concept bindings exist), validated against the official
// artefacts (xmllint --nonet with ../shared/conformance/ddi-c-2.5/codebook.xsd and
// ddi-l-3.3/instance.xsd; docs/schemas/rut-export.schema.json with ajv through
// tests/conformance/validate-rut.js) and read back through the importers to the same variables.
// A register with Swedish letters and XML metacharacters in every place checks the escaping.
#include "exporters/document_export.h"

#include <rapidjson/document.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/errors.h"
#include "catalog/text.h"
#include "cli/demo.h"
#include "exporters/atomic_file.h"
#include "exporters/catalogue_publication.h"
#include "exporters/dcat_exporter.h"
#include "exporters/regcat_json_exporter.h"
#include "importers/variable_import.h"
#include "importers/xlsx_reader.h"
#include "mapping/mapping_store.h"
#include "mapping/terminology.h"
#include "test_support.h"

using namespace regcat;

namespace {

const std::vector<std::string> kDemoRegisters = {"diabetes", "hjartintensiv", "hoftprotes",
                                                 "strokereg"};

// A register written to exercise escaping: Swedish letters in ids, names, codes and labels;
// &, <, >, quotes in text; a code list, a numeric variable with a missing code, a date-time.
RegisterDocument swedishRegister() {
  RegisterDocument d;
  d.reg.id = "ogonreg";
  d.reg.name = {"Ögonregistret för \"grå starr\" & <glaukom>", "Eye Register"};
  d.reg.description = {"Åtgärder på ögon; mått i µm & ‰.", "Eye procedures."};
  d.reg.cpua = {"Region Örebro län", "Hälso- och sjukvårdsnämnden"};
  d.reg.population = {"Personer som opereras för grå starr i Sverige.", ""};
  d.reg.unit_types = {"ögonoperation"};
  Dataset ds;
  ds.register_id = d.reg.id;
  ds.id = "besök";
  ds.name = {"Besök på ögonklinik", "Visit"};
  ds.unit_type = "besök";
  d.datasets.push_back(ds);
  CodeList c;
  c.id = "ogonreg.öga";
  c.register_id = d.reg.id;
  c.name = {"Öga", "Eye"};
  c.items = {{"H", {"Höger öga", "Right eye"}, false, "", ""},
             {"V", {"Vänster öga", "Left eye"}, false, "", ""},
             {"Å", {"Båda ögonen <&>", "Both eyes"}, false, "", ""},
             {"9", {"Okänt \"sida\"", "Unknown"}, true, "", ""}};
  d.codelists.push_back(c);
  auto var = [&](const std::string& name, const std::string& datatype) {
    Variable v;
    v.register_id = d.reg.id;
    v.dataset_id = ds.id;
    v.name = name;
    v.datatype = datatype;
    return v;
  };
  Variable v1 = var("sida_öga", "code");
  v1.label = {"Opererat öga (sida)", "Operated eye"};
  v1.definition = {"Vilket öga som opererades; \"båda\" om båda & samtidigt.", ""};
  v1.question = {"Vilket öga?", "Which eye?"};
  v1.codelist = c.id;
  Variable v2 = var("synskärpa", "decimal");
  v2.label = {"Synskärpa före <operation>", "Visual acuity before surgery"};
  v2.unit = "1";
  v2.min = 0;
  v2.max = 2.5;
  v2.missing_codes = {{"-9", {"Ej mätt – patienten kunde inte läsa tavlan", "Not measured"}}};
  Variable v3 = var("optid", "datetime");
  v3.label = {"Operationstid", "Time of surgery"};
  v3.format = "YYYY-MM-DD hh:mm";
  Variable v4 = var("kommentar", "string");
  v4.label = {"Kommentar 'fritext' ]]> --", ""};
  d.variables = {v1, v2, v3, v4};
  return d;
}

struct Fixture {
  test::TestStore db{true};
  Fixture() {
    app::loadDemoTerminology(*db.store, test::dataDir());
    app::loadDemoMappings(*db.store, test::dataDir());
    CatalogDocument doc;
    doc.registers.push_back(swedishRegister());
    db.store->applyImport(doc, {}, {});
  }
  std::string run(const std::string& format, const std::vector<std::string>& ids = {}) {
    Terminology terminology(*db.store);
    MappingStore mappings(*db.store, terminology);
    std::ostringstream out;
    exportDocument(format, *db.store, ids, approvedMappingsFor(mappings, ids), RutOptions{}, out);
    return out.str();
  }
};

struct Command {
  int status = -1;
  std::string output;
};

Command shell(const test::TempDir& dir, const std::string& cmd) {
  const std::string log = dir.file("command.log");
  const int rc = std::system((cmd + " > '" + log + "' 2>&1").c_str());
  Command c;
  c.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  c.output = test::readFile(log);
  return c;
}

std::string kit() {
  return test::sourceDir() + "/../shared/conformance/";
}

Command xmllint(const test::TempDir& dir, const std::string& xsd, const std::string& file) {
  return shell(dir, "xmllint --nonet --noout --schema '" + kit() + xsd + "' '" + file + "'");
}

Command validateRut(const test::TempDir& dir, const std::string& file) {
  return shell(dir,
               "node '" + test::sourceDir() + "/tests/conformance/validate-rut.js' '" + file + "'");
}

const CodeList* findList(const RegisterDocument& doc, const std::string& id) {
  for (const auto& c : doc.codelists)
    if (c.id == id) return &c;
  return nullptr;
}

std::string describeItems(const CodeList* c) {
  if (!c) return "(no code list)";
  std::string s;
  for (const auto& i : c->items)
    s += i.code + "=" + i.label.sv + "/" + i.label.en + (i.is_missing ? "*" : "") + "; ";
  return s;
}

std::string describeMissing(const std::vector<MissingCode>& m) {
  std::string s;
  for (const auto& c : m) s += c.code + "=" + c.label.sv + "/" + c.label.en + "; ";
  return s;
}

// Every variable of `original` is in `imported` with the same dataset, name, labels,
// definition, question, datatype, unit, range, missing codes, code list items and (for dates)
// format. Booleans come back as integers (neither DDI has a boolean type).
void sameVariables(const RegisterDocument& original, const RegisterDocument& imported,
                   const std::string& format) {
  std::map<std::string, const Variable*> byKey;
  for (const auto& v : imported.variables) byKey[v.dataset_id + "/" + v.name] = &v;
  CHECK(imported.variables.size() == original.variables.size());
  for (const auto& o : original.variables) {
    INFO(format << ": " << o.key());
    auto it = byKey.find(o.dataset_id + "/" + o.name);
    REQUIRE(it != byKey.end());
    const Variable& v = *it->second;
    CHECK(v.label == o.label);
    CHECK(v.definition == o.definition);
    CHECK(v.question == o.question);
    CHECK(v.datatype == (o.datatype == "boolean" ? "integer" : o.datatype));
    CHECK(v.unit == o.unit);
    CHECK(v.min == o.min);
    CHECK(v.max == o.max);
    CHECK(describeMissing(v.missing_codes) == describeMissing(o.missing_codes));
    if (o.datatype == "date" || o.datatype == "datetime") CHECK(v.format == o.format);
    if (o.datatype == "code") {
      CHECK(describeItems(findList(imported, v.codelist)) ==
            describeItems(findList(original, o.codelist)));
    }
  }
}

RegisterDocument importBack(const std::string& registerId, const std::string& format,
                            const std::string& bytes) {
  VariableImportOptions opt;
  opt.register_id = registerId;
  opt.format = format;
  const VariableImportResult r = parseVariableFile(registerId + ".xml", bytes, opt);
  CHECK(r.format == format);
  CHECK(r.skipped.empty());
  return r.doc;
}

}  // namespace

TEST_CASE("DDI-Codebook 2.5 export validates and round-trips through the DDI-C importer",
          "[export][ddi]") {
  Fixture f;
  test::TempDir dir;
  const std::string all = f.run("ddi-c");
  test::writeFile(dir.file("all.xml"), all);
  auto lint = xmllint(dir, "ddi-c-2.5/codebook.xsd", dir.file("all.xml"));
  INFO(lint.output);
  CHECK(lint.status == 0);
  CHECK(all.find("<codeBook xmlns=\"ddi:codebook:2_5\"") != std::string::npos);

  for (const auto& id : {"strokereg", "diabetes", "hjartintensiv", "hoftprotes", "ogonreg"}) {
    INFO(id);
    const std::string xml = f.run("ddi-c", {id});
    test::writeFile(dir.file(std::string(id) + ".xml"), xml);
    auto one = xmllint(dir, "ddi-c-2.5/codebook.xsd", dir.file(std::string(id) + ".xml"));
    INFO(one.output);
    CHECK(one.status == 0);
    const RegisterDocument original = loadRegisterDocument(*f.db.store, id);
    const RegisterDocument back = importBack(id, "ddi-c", xml);
    CHECK(back.reg.name.sv == original.reg.name.sv);
    CHECK(back.reg.name.en == original.reg.name.en);
    CHECK(back.reg.description == original.reg.description);
    CHECK(back.datasets.size() == original.datasets.size());
    sameVariables(original, back, "ddi-c");
  }

  const std::string stroke = f.run("ddi-c", {"strokereg"});
  // The SNOMED CT binding of an approved mapping, as a concept element.
  CHECK(stroke.find("<concept vocab=\"SNOMED CT\" vocabURI=\"http://snomed.info/sct\">"
                    "30809999999100 |kön|</concept>") != std::string::npos);
  CHECK(stroke.find("<labl xml:lang=\"sv\">Kön</labl>") != std::string::npos);
  CHECK(stroke.find("<rspStmt>") != std::string::npos);
  CHECK(stroke.find("<universe xml:lang=\"sv\" clusion=\"I\">Personer 18 år") != std::string::npos);
  // Escaping: metacharacters as entities, Swedish letters as themselves (NFC UTF-8).
  const std::string ogon = f.run("ddi-c", {"ogonreg"});
  CHECK(ogon.find("Ögonregistret för \"grå starr\" &amp; &lt;glaukom&gt;") != std::string::npos);
  CHECK(ogon.find("<fileDscr ID=\"besök\"") != std::string::npos);
  CHECK(ogon.find("<catValu>Å</catValu>") != std::string::npos);
  CHECK(text::nfc(ogon) == ogon);
}

TEST_CASE("DDI-Lifecycle 3.3 export validates and round-trips through the DDI-L importer",
          "[export][ddi]") {
  Fixture f;
  test::TempDir dir;
  const std::string all = f.run("ddi-l");
  test::writeFile(dir.file("all.xml"), all);
  auto lint = xmllint(dir, "ddi-l-3.3/instance.xsd", dir.file("all.xml"));
  INFO(lint.output);
  CHECK(lint.status == 0);
  for (const char* scheme :
       {"<c:ConceptScheme ", "<c:ConceptualVariableScheme ", "<l:RepresentedVariableScheme ",
        "<l:VariableScheme ", "<l:CodeListScheme ", "<l:CategoryScheme ", "<c:UnitTypeScheme ",
        "<c:UniverseScheme "})
    CHECK(all.find(scheme) != std::string::npos);

  for (const auto& id : {"strokereg", "diabetes", "hjartintensiv", "hoftprotes", "ogonreg"}) {
    INFO(id);
    const std::string xml = f.run("ddi-l", {id});
    test::writeFile(dir.file(std::string(id) + ".xml"), xml);
    auto one = xmllint(dir, "ddi-l-3.3/instance.xsd", dir.file(std::string(id) + ".xml"));
    INFO(one.output);
    CHECK(one.status == 0);
    const RegisterDocument original = loadRegisterDocument(*f.db.store, id);
    const RegisterDocument back = importBack(id, "ddi-l", xml);
    CHECK(back.reg.name == original.reg.name);
    CHECK(back.reg.description == original.reg.description);
    // A VariableScheme's name is the dataset id (DDI-L readers take it as the dataset), its
    // label the dataset's name; the importer reads the id and the description.
    CHECK(back.datasets.size() == original.datasets.size());
    for (const auto& d : original.datasets) {
      bool found = false;
      for (const auto& b : back.datasets) found |= b.id == d.id && b.description == d.description;
      CHECK(found);
    }
    sameVariables(original, back, "ddi-l");
  }

  const std::string stroke = f.run("ddi-l", {"strokereg"});
  // URNs from regcat ids and versions; the concept of an approved mapping referenced from the
  // conceptual variable; a code's concept on its category.
  CHECK(stroke.find("<r:URN>urn:ddi:se.regcat:V-strokereg-akut-kon:1</r:URN>") !=
        std::string::npos);
  CHECK(stroke.find("<r:URN>urn:ddi:se.regcat:C-sct-30809999999100:1</r:URN>") !=
        std::string::npos);
  CHECK(stroke.find("<r:URN>urn:ddi:se.regcat:CL-strokereg@kon:1</r:URN>") != std::string::npos);
  CHECK(stroke.find("<r:URN>urn:ddi:se.regcat:C-sct-80119999999103:1</r:URN>") !=
        std::string::npos);
  const std::string ogon = f.run("ddi-l", {"ogonreg"});
  // Swedish letters in ids are escaped for DDI's ID pattern; in text they stay as they are.
  CHECK(ogon.find("V-ogonreg-bes$C3$B6k-syn") != std::string::npos);
  CHECK(ogon.find("<r:String>synskärpa</r:String>") != std::string::npos);
  CHECK(text::nfc(ogon) == ogon);
}

TEST_CASE("RUT JSON export is valid against its JSON Schema and holds the GSIM cascade",
          "[export][rut]") {
  Fixture f;
  test::TempDir dir;
  const std::string all = f.run("rut-json");
  test::writeFile(dir.file("rut.json"), all);
  auto v = validateRut(dir, dir.file("rut.json"));
  INFO(v.output);
  CHECK(v.status == 0);
  for (const auto& id : kDemoRegisters) {
    const std::string one = f.run("rut-json", {id});
    test::writeFile(dir.file(id + ".json"), one);
    auto r = validateRut(dir, dir.file(id + ".json"));
    INFO(r.output);
    CHECK(r.status == 0);
  }
  // The validator can fail: an unknown member and a dangling reference are both caught.
  std::string broken = all;
  broken.replace(broken.find("\"model\""), 7, "\"modell\"");
  test::writeFile(dir.file("broken.json"), broken);
  CHECK(validateRut(dir, dir.file("broken.json")).status != 0);
  std::string dangling = all;
  const auto at = dangling.find("\"represented_variable\":\"strokereg/akut/");
  REQUIRE(at != std::string::npos);
  dangling.insert(at + 24, "x");
  test::writeFile(dir.file("dangling.json"), dangling);
  auto d = validateRut(dir, dir.file("dangling.json"));
  CHECK(d.status != 0);
  CHECK(d.output.find("is not in the document") != std::string::npos);

  rapidjson::Document doc;
  doc.Parse(all.data(), all.size());
  REQUIRE(!doc.HasParseError());
  CHECK(std::string(doc["format"].GetString()) == "regcat-rut");
  const auto& systems = doc["concept_systems"].GetArray();
  REQUIRE(systems.Size() >= 1);
  CHECK(std::string(systems[0]["id"].GetString()) == "sct");
  size_t instances = 0, expected = 0;
  for (const auto& r : doc["registers"].GetArray()) {
    for (const auto& ds : r["datasets"].GetArray()) instances += ds["instance_variables"].Size();
    expected += loadRegisterDocument(*f.db.store, r["id"].GetString()).variables.size();
    if (std::string(r["id"].GetString()) != "strokereg") continue;
    // Shared value domains and represented variables: fewer than there are variables.
    CHECK(r["value_domains"].Size() < 52);
    CHECK(r["semantic_mappings"].Size() > 0);
    bool kon = false;
    for (const auto& ds : r["datasets"].GetArray())
      for (const auto& iv : ds["instance_variables"].GetArray())
        if (std::string(iv["id"].GetString()) == "strokereg/akut/kon") {
          kon = true;
          REQUIRE(iv["concepts"].Size() == 1);
          CHECK(std::string(iv["concepts"][0].GetString()) == "sct:30809999999100");
          CHECK(std::string(iv["urn"].GetString()) == "urn:ddi:se.regcat:V-strokereg-akut-kon:1");
          CHECK(iv["code_concepts"].Size() == 2);
        }
    CHECK(kon);
  }
  CHECK(instances == expected);
  CHECK(all.find("\"Ögonregistret för \\\"grå starr\\\" & <glaukom>\"") != std::string::npos);
}

TEST_CASE("RUT variable list as .xlsx and CSV", "[export][rut]") {
  Fixture f;
  const std::string xlsx = f.run("rut-xlsx", {"strokereg", "ogonreg"});
  XlsxWorkbook wb(xlsx, "rut.xlsx");
  CHECK(wb.sheetNames() == std::vector<std::string>{"Register", "Variabler", "Koder"});
  const XlsxSheet vars = wb.sheet("Variabler");
  REQUIRE(!vars.rows.empty());
  const auto& cols = rutVariableColumns();
  REQUIRE(vars.rows[0].cells.size() == cols.size());
  for (size_t i = 0; i < cols.size(); ++i) CHECK(vars.rows[0].cells[i].text == cols[i]);
  const size_t conceptCol =
      size_t(std::find(cols.begin(), cols.end(), "concept_ids") - cols.begin());
  bool kon = false, ogon = false;
  for (const auto& row : vars.rows) {
    if (row.cells.size() > 5 && row.cells[5].text == "strokereg/akut/kon") {
      kon = true;
      REQUIRE(row.cells.size() > conceptCol);
      CHECK(row.cells[conceptCol].text == "sct:30809999999100");
    }
    if (row.cells.size() > 7 && row.cells[5].text == "ogonreg/besök/synskärpa") {
      ogon = true;
      CHECK(row.cells[7].text == "Synskärpa före <operation>");
    }
  }
  CHECK(kon);
  CHECK(ogon);
  CHECK(wb.sheet("Register").rows.size() == 3);
  CHECK(wb.sheet("Koder").rows.size() > 10);

  const std::string csv = f.run("rut-csv", {"ogonreg"});
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "register,register_name,dataset,",
                  0) == 0);
  CHECK(csv.find("ogonreg/besök/sida_öga") != std::string::npos);
  CHECK(csv.find("H=Höger öga | V=Vänster öga | Å=Båda ögonen <&> | 9=Okänt \"\"sida\"\"*") !=
        std::string::npos);
}

TEST_CASE("Document exports over HTTP and from the command line", "[export][api][cli]") {
  test::TestServer server(true);
  app::loadDemoTerminology(*server.db.store, test::dataDir());
  app::loadDemoMappings(*server.db.store, test::dataDir());
  for (const auto& [format, type] : std::vector<std::pair<std::string, std::string>>{
           {"ddi-c", "application/xml; charset=utf-8"},
           {"ddi-l", "application/xml; charset=utf-8"},
           {"rut-json", "application/json; charset=utf-8"},
           {"rut-csv", "text/csv; charset=utf-8"},
           {"rut-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}) {
    INFO(format);
    auto all = server.get("/api/export/" + format);
    CHECK(all.status == 200);
    CHECK(all.headers["content-type"] == type);
    CHECK(all.headers["content-disposition"].find("regcat." + format.substr(0, 3)) !=
          std::string::npos);
    auto one = server.get("/api/registers/strokereg/export/" + format);
    CHECK(one.status == 200);
    CHECK(one.headers["content-type"] == type);
    CHECK(one.headers["content-disposition"].find("strokereg.") != std::string::npos);
    CHECK(one.body.size() < all.body.size());
    auto query = server.get("/api/export/" + format + "?register=strokereg,diabetes");
    CHECK(query.status == 200);
  }
  auto missing = server.get("/api/export/ddi-c?register=finnsinte");
  CHECK(missing.status == 404);
  CHECK(missing.body.find("finnsinte") != std::string::npos);
  CHECK(server.get("/api/registers/finnsinte/export/ddi-l").status == 404);
  auto unknown = server.get("/api/export/ddi-x");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("ddi-c, ddi-l") != std::string::npos);

  // The CLI writes the same documents (a second process reading the same database).
  test::TempDir dir;
  const std::string bin = REGCAT_BINARY;
  const std::string db = server.db.store->path();
  for (const char* format : {"ddi-c", "ddi-l", "rut-json", "rut-xlsx", "rut-csv"}) {
    INFO(format);
    const std::string out = dir.file(std::string("strokereg.") + format);
    auto c = shell(dir, "'" + bin + "' export " + format + " --db '" + db +
                            "' --register strokereg -o '" + out + "'");
    INFO(c.output);
    CHECK(c.status == 0);
    const std::string bytes = test::readFile(out);
    CHECK(!bytes.empty());
    if (std::string(format) == "ddi-c")
      CHECK(xmllint(dir, "ddi-c-2.5/codebook.xsd", out).status == 0);
    if (std::string(format) == "ddi-l")
      CHECK(xmllint(dir, "ddi-l-3.3/instance.xsd", out).status == 0);
    if (std::string(format) == "rut-json") CHECK(validateRut(dir, out).status == 0);
  }
  auto stdoutRun = shell(dir, "'" + bin + "' export ddi-c --db '" + db + "' --register diabetes");
  CHECK(stdoutRun.status == 0);
  CHECK(stdoutRun.output.find("<codeBook") != std::string::npos);
  auto bad = shell(dir, "'" + bin + "' export ddi-l --db '" + db + "' --register finnsinte");
  CHECK(bad.status == 1);
  CHECK(bad.output.find("register 'finnsinte' not found") != std::string::npos);
  auto help = shell(dir, "'" + bin + "' export --help");
  CHECK(help.output.find("rut-json|rut-xlsx|rut-csv|ddi-c|ddi-l") != std::string::npos);
}

TEST_CASE("Publishing the catalogue writes every format at once, as the single exports do",
          "[export][cli]") {
  Fixture f;
  test::TempDir dir;
  const std::string db = f.db.store->path();
  PublishOptions opt;
  opt.threads = 3;
  std::vector<std::string> reported;
  const auto files = publishCatalogue(
      db, dir.file("pub"), opt, [&](const PublishedFile& p) { reported.push_back(p.format); });
  REQUIRE(files.size() == publishFormats().size());
  CHECK(reported.size() == files.size());
  std::set<std::string> formats;
  for (const auto& p : files) {
    INFO(p.format);
    formats.insert(p.format);
    CHECK(p.bytes > 0);
  }
  CHECK(formats.size() == publishFormats().size());
  // The catalogue-wide files are byte for byte what `regcat export FORMAT` writes, though the
  // five documents were written from one cascade per register and the three DCAT syntaxes
  // from one graph.
  for (const auto& [format, file] :
       std::vector<std::pair<std::string, std::string>>{{"ddi-c", "regcat.ddi-c.xml"},
                                                        {"ddi-l", "regcat.ddi-l.xml"},
                                                        {"rut-csv", "regcat.rut.csv"},
                                                        {"rut-json", "regcat.rut.json"},
                                                        {"rut-xlsx", "regcat.rut.xlsx"}}) {
    INFO(format);
    // rut-json says when it was exported, to the second; the rest must be identical.
    const std::regex stamp("\"exported_at\":\"[^\"]*\"");
    CHECK(std::regex_replace(test::readFile(dir.file("pub/" + file)), stamp, "") ==
          std::regex_replace(f.run(format), stamp, ""));
  }
  {
    Terminology terminology(*f.db.store);
    MappingStore mappings(*f.db.store, terminology);
    for (const auto& [syntax, file] :
         std::vector<std::pair<rdf::Syntax, std::string>>{{rdf::Syntax::Turtle, "regcat.ttl"},
                                                          {rdf::Syntax::JsonLd, "regcat.jsonld"},
                                                          {rdf::Syntax::RdfXml, "regcat.rdf"}}) {
      INFO(file);
      std::ostringstream one;
      exportDcat(*f.db.store, &mappings, {}, DcatOptions{}, syntax, one);
      CHECK(test::readFile(dir.file("pub/" + file)) == one.str());
    }
  }
  for (const auto& p : files)
    CHECK(p.shared == (p.format.rfind("rut-", 0) == 0 || p.format.rfind("ddi-", 0) == 0 ||
                       p.format.rfind("dcat-", 0) == 0));
  // Listed in publishFormats() order.
  for (size_t i = 0; i < files.size(); ++i) CHECK(files[i].format == publishFormats()[i]);
  CHECK(xmllint(dir, "ddi-l-3.3/instance.xsd", dir.file("pub/regcat.ddi-l.xml")).status == 0);
  // One file per register for the per-register formats, Swedish ids intact.
  for (const char* folder : {"csv", "xlsx", "fhir-conceptmap"}) {
    INFO(folder);
    size_t n = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(dir.file(std::string("pub/") + folder)))
      n += e.path().extension() != ".tmp";
    CHECK(n == kDemoRegisters.size() + 1);
  }
  CHECK(test::readFile(dir.file("pub/csv/ogonreg.csv")).find("sida_öga") != std::string::npos);
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.file("pub")))
    CHECK(e.path().extension() != ".tmp");

  // Unknown formats are refused before anything is written.
  PublishOptions bad;
  bad.formats = {"ddi-c", "ddi-x"};
  CHECK_THROWS_WITH(publishCatalogue(db, dir.file("bad"), bad),
                    Catch::Contains("'ddi-x' is not an export format"));
  CHECK(!std::filesystem::exists(dir.file("bad/regcat.ddi-c.xml")));

  // The CLI: `regcat export all -o DIR`, one line per format on standard error.
  const std::string bin = REGCAT_BINARY;
  auto c =
      shell(dir, "'" + bin + "' export all --db '" + db + "' --register strokereg,ogonreg " +
                     "--formats rut-json,csv,dcat-ttl --threads 2 -o '" + dir.file("cli") + "'");
  INFO(c.output);
  CHECK(c.status == 0);
  CHECK(c.output.find("rut-json") != std::string::npos);
  CHECK(test::readFile(dir.file("cli/regcat.rut.json")).find("Ögonregistret") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("cli/csv/strokereg.csv")));
  CHECK(!std::filesystem::exists(dir.file("cli/csv/diabetes.csv")));
  CHECK(std::filesystem::exists(dir.file("cli/regcat.ttl")));
  CHECK(!std::filesystem::exists(dir.file("cli/regcat.json")));
  auto noDir = shell(dir, "'" + bin + "' export all --db '" + db + "'");
  CHECK(noDir.status == 2);
  CHECK(noDir.output.find("-o DIR") != std::string::npos);
}

TEST_CASE("An export file is replaced only when it was written completely", "[export]") {
  test::TempDir dir;
  const std::string path = dir.file("regcat.ttl");
  CHECK(writeFileAtomically(path, [](std::ostream& o) { o << "första"; }) == 7);
  CHECK(test::readFile(path) == "första");
  // A writer that fails half-way leaves the earlier file and no temporary file.
  CHECK_THROWS_WITH(writeFileAtomically(path,
                                        [](std::ostream& o) {
                                          o << "andra, halv";
                                          throw invalid("register 'x'", "not found");
                                        }),
                    Catch::Contains("not found"));
  CHECK(test::readFile(path) == "första");
  CHECK(!std::filesystem::exists(path + ".tmp"));
  // A folder that does not exist is named in the error.
  CHECK_THROWS_WITH(writeFileAtomically(dir.file("saknas/regcat.ttl"), [](std::ostream&) {}),
                    Catch::Contains("saknas/regcat.ttl"));
}
