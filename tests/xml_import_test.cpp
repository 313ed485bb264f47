// XML variable importers: CDISC ODM / REDCap project XML, DDI-Codebook 2.5, DDI-Lifecycle 3.3,
// and the hardened XML reading under them.
//
// The Swedish fixtures in tests/fixtures/{odm,ddi-c,ddi-l}/ were written for these tests and are
// valid against the official schemas in ../shared/conformance; from the repository root:
//   xmllint --nonet --noout --schema ../shared/conformance/odm-1.3.2/ODM1-3-2.xsd
//           tests/fixtures/odm/hjartsvikt.xml
//   xmllint --nonet --noout --schema ../shared/conformance/ddi-c-2.5/codebook.xsd
//           tests/fixtures/ddi-c/hoftplastik.xml
//   xmllint --nonet --noout --schema ../shared/conformance/ddi-l-3.3/instance.xsd
//           tests/fixtures/ddi-l/diabetes.xml
// tests/fixtures/odm/redcap_diabetes.xml is, like every REDCap project export, deliberately not
// schema-valid (redcap: attributes, boolean CodeLists); so are the shared REDCap fixtures.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "catalog/errors.h"
#include "importers/variable_import.h"
#include "importers/xml_document.h"
#include "test_support.h"

using namespace regcat;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fixture(const std::string& rel) {
  return readFile(std::string(REGCAT_SOURCE_DIR) + "/tests/fixtures/" + rel);
}

std::string shared(const std::string& rel) {
  return readFile(std::string(REGCAT_SOURCE_DIR) + "/../shared/conformance/fixtures/" + rel);
}

using Parser = void (*)(std::string_view, ParseContext&);

VariableImportResult run(Parser parse, const std::string& source, const std::string& xml,
                         const std::string& registerId = "testreg", bool skipInvalid = false,
                         const std::string& dataset = "") {
  VariableImportOptions opt;
  opt.register_id = registerId;
  opt.skip_invalid = skipInvalid;
  opt.dataset = dataset;
  VariableImportResult result;
  ParseContext ctx{source, opt, result};
  parse(xml, ctx);
  return result;
}

const Variable& var(const VariableImportResult& r, const std::string& dataset,
                    const std::string& name) {
  for (const auto& v : r.doc.variables)
    if (v.dataset_id == dataset && v.name == name) return v;
  FAIL("no variable " << dataset << "/" << name);
  throw std::logic_error("unreachable");
}

const CodeList& codeList(const VariableImportResult& r, const std::string& id) {
  for (const auto& c : r.doc.codelists)
    if (c.id == id) return c;
  FAIL("no code list " << id);
  throw std::logic_error("unreachable");
}

std::vector<std::string> names(const VariableImportResult& r, const std::string& dataset) {
  std::vector<std::string> out;
  for (const auto& v : r.doc.variables)
    if (v.dataset_id == dataset) out.push_back(v.name);
  return out;
}

bool hasAlias(const Variable& v, const std::string& a) {
  return std::find(v.aliases.begin(), v.aliases.end(), a) != v.aliases.end();
}

// The error a parse throws (Catch's REQUIRE_THROWS does not hand the exception back).
Error errorOf(Parser parse, const std::string& source, const std::string& xml,
              bool skipInvalid = false) {
  try {
    run(parse, source, xml, "testreg", skipInvalid);
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error for " << source);
  throw std::logic_error("unreachable");
}

// Minimal RFC 4180 reader for the REDCap dictionaries (quoted cells may hold commas).
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// The variable names REDCap exports per form for a data dictionary: each field (descriptive
// ones hold no data), each checkbox choice as field___code, then the form's status field.
std::map<std::string, std::vector<std::string>> redcapExportNames(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> out;
  auto rows = readCsv(csv);
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const std::string name = r[0], form = r[1], type = r[3];
    if (type == "descriptive") continue;
    out[form].push_back(name);
    if (type != "checkbox") continue;
    std::stringstream choices(r[5]);
    for (std::string choice; std::getline(choices, choice, '|');) {
      std::string code = choice.substr(0, choice.find(','));
      code.erase(0, code.find_first_not_of(' '));
      code.erase(code.find_last_not_of(' ') + 1);
      for (auto& ch : code) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      out[form].push_back(name + "___" + code);
    }
  }
  for (auto& [form, list] : out) list.push_back(form + "_complete");
  return out;
}

const std::string kOdmHead =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" FileOID="F" FileType="Snapshot" CreationDateTime="2024-01-01T00:00:00">
<Study OID="S"><GlobalVariables><StudyName>Testregistret</StudyName><StudyDescription/><ProtocolName>P</ProtocolName></GlobalVariables>
<MetaDataVersion OID="M" Name="M">
<FormDef OID="Form.a" Name="A" Repeating="No"><ItemGroupRef ItemGroupOID="G" Mandatory="Yes"/></FormDef>
)";

std::string odmWithItems(const std::string& refs, const std::string& defs) {
  return kOdmHead + R"(<ItemGroupDef OID="G" Name="G" Repeating="No">)" + refs +
         "</ItemGroupDef>\n" + defs + "</MetaDataVersion></Study></ODM>\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// CDISC ODM

TEST_CASE("ODM: a Swedish register description imports with labels, units, ranges and codes",
          "[import][odm]") {
  auto r = run(parseOdm, "hjartsvikt.xml", fixture("odm/hjartsvikt.xml"), "hf");
  CHECK(r.register_named_from_file);
  CHECK(r.doc.reg.name.sv == "Testregistret för hjärtsvikt");
  CHECK(r.doc.reg.description.sv.find("tolv månader") != std::string::npos);

  REQUIRE(r.doc.datasets.size() == 2);
  CHECK(r.doc.datasets[0].id == "Form.inskrivning");
  CHECK(r.doc.datasets[0].name.sv == "Inskrivning");
  CHECK(r.doc.datasets[0].description.en == "Data at registration");
  CHECK(r.doc.datasets[1].id == "Form.uppfoljning");
  CHECK(r.doc.datasets[1].name.sv == "Uppföljning efter 12 månader");

  CHECK(names(r, "Form.inskrivning") ==
        std::vector<std::string>{"patient_id", "inskrivningsdatum", "ålder", "kön", "rökning",
                                 "systoliskt_bt", "vikt", "I.LANGD", "huvuddiagnos"});
  // ItemGroupRefs and ItemRefs follow OrderNumber, not document order; an ItemDef used by two
  // forms (patient_id, systoliskt_bt) is a variable in each.
  CHECK(names(r, "Form.uppfoljning") ==
        std::vector<std::string>{"patient_id", "uppföljningsdatum", "nyha_klass", "systoliskt_bt",
                                 "betablockerare", "dostid", "hba1c", "nt_probnp"});
  CHECK(r.doc.variables.size() == 17);
  for (const auto& v : r.doc.variables) {
    CHECK(v.register_id == "hf");
    CHECK(v.origin.rfind("hjartsvikt.xml:", 0) == 0);
  }

  const auto& alder = var(r, "Form.inskrivning", "ålder");
  CHECK(alder.datatype == "integer");
  CHECK(alder.unit == "a");
  CHECK(alder.min == Approx(18));
  CHECK(alder.max == Approx(120));
  CHECK(alder.mandatory);
  CHECK(alder.label.sv == "Ålder vid inskrivning");
  CHECK(alder.label.en == "Age at registration");
  CHECK(hasAlias(alder, "I.ALDER"));
  CHECK(alder.origin.find("/ODM/Study/MetaDataVersion/ItemDef[3]") != std::string::npos);

  const auto& datum = var(r, "Form.inskrivning", "inskrivningsdatum");
  CHECK(datum.datatype == "date");
  CHECK(datum.label.sv == "Datum för inskrivning");  // sv-SE
  CHECK(datum.label.en == "Date of registration");   // en-GB

  const auto& kon = var(r, "Form.inskrivning", "kön");
  CHECK(kon.datatype == "code");
  CHECK(kon.codelist == "hf.CL.KON");
  CHECK(hasAlias(kon, "SEX"));  // ODM Alias

  const auto& rokning = var(r, "Form.inskrivning", "rökning");
  CHECK(rokning.definition.sv == "Patientens rökvanor enligt journalen");
  CHECK(rokning.definition.en == "Smoking habits according to the medical record");
  CHECK_FALSE(rokning.mandatory);

  // A hard GT 40 bounds the value; the soft GE 70 only flags unusual values.
  const auto& bt = var(r, "Form.inskrivning", "systoliskt_bt");
  CHECK(bt.unit == "mm[Hg]");
  CHECK(bt.min == Approx(40));
  CHECK(bt.max == Approx(300));

  const auto& vikt = var(r, "Form.inskrivning", "vikt");
  CHECK(vikt.datatype == "decimal");
  CHECK(vikt.unit == "kg");
  CHECK(vikt.min == Approx(20.5));

  // Name="Längd (cm)" is no identifier: the OID names the variable and the Name is kept.
  const auto& langd = var(r, "Form.inskrivning", "I.LANGD");
  CHECK(hasAlias(langd, "Längd (cm)"));
  CHECK(langd.unit == "cm");

  const auto& diagnos = var(r, "Form.inskrivning", "huvuddiagnos");
  CHECK(diagnos.datatype == "code");
  CHECK(diagnos.codelist == "hf.CL.ICD10SE");

  CHECK(var(r, "Form.uppfoljning", "betablockerare").datatype == "boolean");
  CHECK(var(r, "Form.uppfoljning", "betablockerare").codelist.empty());
  CHECK(var(r, "Form.uppfoljning", "dostid").datatype == "string");
  CHECK(var(r, "Form.uppfoljning", "dostid").format == "HH:MM");
  CHECK(var(r, "Form.uppfoljning", "hba1c").unit == "mmol/mol");
  CHECK(var(r, "Form.uppfoljning", "nt_probnp").unit == "ng/L");
  CHECK(var(r, "Form.uppfoljning", "nt_probnp").label.en.empty());
  CHECK(var(r, "Form.uppfoljning", "nyha_klass").codelist == "hf.CL.NYHA");

  REQUIRE(r.doc.codelists.size() == 4);
  const auto& rok = codeList(r, "hf.CL.ROKNING");
  CHECK(rok.name.sv == "Rökvanor");
  REQUIRE(rok.items.size() == 4);
  CHECK(rok.items[3].code == "9");
  CHECK(rok.items[3].label.sv == "Okänt");
  CHECK(rok.items[3].label.en == "Unknown");
  const auto& nyha = codeList(r, "hf.CL.NYHA");  // EnumeratedItems: codes without labels
  REQUIRE(nyha.items.size() == 4);
  CHECK(nyha.items[2].code == "III");
  CHECK(nyha.items[2].label.empty());
  const auto& icd = codeList(r, "hf.CL.ICD10SE");  // ExternalCodeList: where, not what
  CHECK(icd.items.empty());
  CHECK(icd.system.version == "2024");
  CHECK(icd.system.uri.find("socialstyrelsen.se") != std::string::npos);
  CHECK(r.warnings.empty());
}

TEST_CASE("ODM: REDCap project XML uses the redcap: extensions", "[import][odm]") {
  auto r = run(parseOdm, "redcap_diabetes.xml", fixture("odm/redcap_diabetes.xml"), "dm");
  CHECK(r.doc.reg.name.sv == "Diabetesuppföljning i primärvården");
  REQUIRE(r.doc.datasets.size() == 1);
  // redcap:FormName, the instrument name the REDCap data dictionary uses as Form Name.
  CHECK(r.doc.datasets[0].id == "arskontroll");
  CHECK(r.doc.datasets[0].name.sv == "Årskontroll");
  // The descriptive field is not data; the checkbox is its field plus one item per choice.
  CHECK(names(r, "arskontroll") ==
        std::vector<std::string>{"lopnr", "personnummer", "besoksdatum", "hba1c", "vikt", "langd",
                                 "bmi", "rokare", "komplikationer", "komplikationer___1",
                                 "komplikationer___2", "komplikationer___9",
                                 "arskontroll_complete"});
  CHECK(var(r, "arskontroll", "lopnr").mandatory);
  CHECK(var(r, "arskontroll", "personnummer").identifier_class == "direct");
  CHECK(var(r, "arskontroll", "lopnr").identifier_class == "none");
  CHECK(var(r, "arskontroll", "besoksdatum").datatype == "date");

  const auto& hba1c = var(r, "arskontroll", "hba1c");
  CHECK(hba1c.datatype == "decimal");  // number_1dp_comma_decimal, exported as text
  CHECK(hba1c.unit == "mmol/mol");     // from redcap:FieldNote
  CHECK(hba1c.min == Approx(20));      // soft checks are all there is
  CHECK(hba1c.max == Approx(200));
  CHECK(var(r, "arskontroll", "vikt").unit == "kg");
  CHECK(var(r, "arskontroll", "langd").unit.empty());  // "Mäts utan skor" is no unit

  const auto& bmi = var(r, "arskontroll", "bmi");
  CHECK(bmi.calculation == "round([vikt]/(([langd]/100)^2),1)");
  CHECK(bmi.source == "computed");

  const auto& rokare = var(r, "arskontroll", "rokare");  // yesno: a boolean CodeList
  CHECK(rokare.datatype == "code");
  CHECK(codeList(r, rokare.codelist).items.size() == 2);
  CHECK(codeList(r, rokare.codelist).items[0].label.sv == "Ja");

  const auto& field = var(r, "arskontroll", "komplikationer");
  CHECK(field.datatype == "code");
  CHECK(field.label.sv == "Kända komplikationer");
  const auto& choices = codeList(r, field.codelist);
  REQUIRE(choices.items.size() == 3);
  CHECK(choices.items[2].code == "9");
  CHECK(choices.items[2].label.sv == "Ingen känd komplikation");
  CHECK(var(r, "arskontroll", "komplikationer___2").label.sv ==
        "Kända komplikationer (choice=Nefropati)");

  // Project-wide missing data codes apply to every field.
  const auto& missing = var(r, "arskontroll", "vikt").missing_codes;
  REQUIRE(missing.size() == 2);
  CHECK(missing[0].code == "UNK");
  CHECK(missing[0].label.sv == "Okänt");
  CHECK(missing[1].label.sv == "Ej tillämpligt");
  CHECK(r.doc.codelists.size() == 6);  // 5 CodeLists + the checkbox field's choices
}

TEST_CASE("ODM: the official ODM 1.3.2 example imports with exact counts", "[import][odm]") {
  auto r = run(parseOdm, "MetaData_Dave.xml",
               shared("odm-1.3.2/MetaData_Dave_1_3_2_new_2006_01_26_extra_languages.xml"), "ces");
  CHECK(r.doc.reg.name.sv == "CDISC Example Study");
  // 7 FormDefs -> 7 datasets.
  REQUIRE(r.doc.datasets.size() == 7);
  CHECK(r.doc.datasets[0].id == "F_BASELINE");
  CHECK(r.doc.datasets[0].name.sv == "Baseline Visit Form");
  CHECK(r.doc.datasets[0].description.en == "Baseline");
  // The forms reference 90 items (IG_COMMON is on six forms) of 61 distinct ItemDefs; the file
  // has 63 ItemDefs, 2 of which no form uses (reported).
  CHECK(r.doc.variables.size() == 90);
  std::set<std::string> itemDefs;
  for (const auto& v : r.doc.variables) itemDefs.insert(v.aliases.at(0));  // the OID
  CHECK(itemDefs.size() == 61);
  size_t unused = 0;
  for (const auto& w : r.warnings) unused += w.find("is used by no FormDef") != std::string::npos;
  CHECK(unused == 2);
  CHECK(names(r, "F_BASELINE").size() == 22);
  CHECK(names(r, "F_LAB").size() == 15);
  // 12 CodeLists -> 12 code lists.
  CHECK(r.doc.codelists.size() == 12);

  // Name="Systolic BP" is not an identifier: the OID names it, Name and Aliases are kept.
  const auto& sys = var(r, "F_BASELINE", "I_SYSBP");
  CHECK(hasAlias(sys, "Systolic BP"));
  CHECK(hasAlias(sys, "SYSBP"));
  CHECK(sys.unit == "mm[Hg]");
  CHECK(sys.max == Approx(180));
  CHECK(sys.label.en == "Systolic blood pressure");
  CHECK(sys.label.sv.empty());  // French, German and Korean texts are not Swedish
  CHECK(var(r, "F_BASELINE", "I_SEX").codelist == "ces.CL_SEX");
  // Name="Height" is an identifier. Height is in inches; the range check in cm is not its range.
  CHECK(var(r, "F_BASELINE", "Height").unit == "[in_i]");
  CHECK(var(r, "F_BASELINE", "Height").max == Approx(90));
  CHECK(hasAlias(var(r, "F_BASELINE", "Height"), "I_HEIGHT"));
  CHECK(var(r, "F_LAB", "RBC").min == Approx(2.0));  // hard limits, not the soft 4.0
  CHECK(var(r, "F_LAB", "RBC").max == Approx(8.0));
  CHECK(var(r, "F_LAB", "RBC").unit == "10*6/uL");
  CHECK(var(r, "F_AE", "I_AE_DURATION").datatype == "string");
  CHECK(var(r, "F_BASELINE", "I_XRAY").format == "URI");
  CHECK(var(r, "F_BASELINE", "I_DIABP").calculation == "Test Algorithm 1");  // MethodOID
}

TEST_CASE("ODM: REDCap's own project XML exports match their data dictionaries", "[import][odm]") {
  struct Project {
    std::string folder;
    size_t datasets, variables, codelists;
  };
  // Code lists: the CodeLists of the export plus one per checkbox field.
  for (const auto& p : {Project{"checkboxes-1", 2, 15, 13}, Project{"clinical-trial-1", 1, 13, 4},
                        Project{"validation-types-1", 1, 53, 9}}) {
    DYNAMIC_SECTION(p.folder) {
      auto r = run(parseOdm, "project.xml", shared("redcap/" + p.folder + "/project.xml"));
      CHECK(r.register_named_from_file);
      CHECK(r.doc.reg.name.sv.rfind("REDCapR: ", 0) == 0);  // StudyName (upstream typos kept)
      CHECK(r.doc.datasets.size() == p.datasets);
      CHECK(r.doc.variables.size() == p.variables);
      CHECK(r.doc.codelists.size() == p.codelists);
      const auto expected = redcapExportNames(shared("redcap/" + p.folder + "/dictionary.csv"));
      CHECK(expected.size() == p.datasets);
      for (const auto& [form, list] : expected) {
        INFO("form " << form);
        CHECK(names(r, form) == list);
      }
    }
  }
  auto trial = run(parseOdm, "project.xml", shared("redcap/clinical-trial-1/project.xml"));
  CHECK(var(trial, "demographics", "dob").identifier_class == "direct");
  CHECK(var(trial, "demographics", "dob").datatype == "date");
  CHECK_FALSE(var(trial, "demographics", "dob").min);  // a date range is not numeric
  CHECK(var(trial, "demographics", "height").datatype == "decimal");
  CHECK(var(trial, "demographics", "height").max == Approx(250));
  CHECK(var(trial, "demographics", "weight").max == Approx(300));
  CHECK(codeList(trial, var(trial, "demographics", "race").codelist).items.size() == 6);
  auto types = run(parseOdm, "project.xml", shared("redcap/validation-types-1/project.xml"));
  CHECK(var(types, "form_1", "f_calculated").calculation == "3+4");
  CHECK(var(types, "form_1", "v_time_hh_mm").format == "HH:MM");
  CHECK(var(types, "form_1", "v_time_hh_mm_ss").format == "HH:MM:SS");
  CHECK(var(types, "form_1", "v_datetime_ymd").datatype == "datetime");
  CHECK(var(types, "form_1", "f_yes_no").datatype == "code");
  CHECK(var(types, "form_1", "f_checkbox___1").label.sv == "Checkboxes (choice=One)");
}

TEST_CASE("ODM: an unknown DataType is an error naming the ItemDef", "[import][odm]") {
  const std::string xml = odmWithItems(
      R"(<ItemRef ItemOID="I.A" Mandatory="No"/><ItemRef ItemOID="I.B" Mandatory="No"/>)",
      R"(<ItemDef OID="I.A" Name="a" DataType="integer"/>
<ItemDef OID="I.B" Name="b" DataType="number"/>
)");
  const Error e = errorOf(parseOdm, "typ.xml", xml);
  CHECK(e.kind() == Error::Kind::Invalid);
  CHECK(e.where() == "typ.xml:8 /ODM/Study/MetaDataVersion/ItemDef[2]");
  CHECK(e.message().find("ItemDef 'I.B' has DataType 'number'") != std::string::npos);
  CHECK(e.message().find("integer, float") != std::string::npos);

  // With skip_invalid the item is left out and reported.
  auto r = run(parseOdm, "typ.xml", xml, "testreg", true);
  CHECK(names(r, "Form.a") == std::vector<std::string>{"a"});
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0].where == "typ.xml:8 /ODM/Study/MetaDataVersion/ItemDef[2]");
}

TEST_CASE("ODM: duplicate variable names in a form are an error", "[import][odm]") {
  const std::string xml = odmWithItems(
      R"(<ItemRef ItemOID="I.A" Mandatory="No"/><ItemRef ItemOID="I.A2" Mandatory="No"/>)",
      R"(<ItemDef OID="I.A" Name="ålder" DataType="integer"/>
<ItemDef OID="I.A2" Name="ålder" DataType="text"/>
)");
  const Error e = errorOf(parseOdm, "dubbel.xml", xml);
  CHECK(e.where() == "dubbel.xml:8 /ODM/Study/MetaDataVersion/ItemDef[2]");
  CHECK(e.message() ==
        "duplicate variable name 'ålder' in dataset 'Form.a' (first defined at dubbel.xml:7)");
  auto r = run(parseOdm, "dubbel.xml", xml, "testreg", true);
  CHECK(r.doc.variables.size() == 1);
  CHECK(r.skipped.size() == 1);
}

TEST_CASE("ODM: dangling references name the place", "[import][odm]") {
  const Error item = errorOf(parseOdm, "ref.xml",
                             odmWithItems(R"(<ItemRef ItemOID="I.SAKNAS" Mandatory="No"/>)",
                                          R"(<ItemDef OID="I.A" Name="a" DataType="integer"/>)"));
  CHECK(item.where().rfind("ref.xml:6 /ODM/Study/MetaDataVersion/ItemGroupDef/ItemRef", 0) == 0);
  CHECK(item.message().find("'I.SAKNAS'") != std::string::npos);
  const Error list = errorOf(
      parseOdm, "ref.xml",
      odmWithItems(
          R"(<ItemRef ItemOID="I.A" Mandatory="No"/>)",
          R"(<ItemDef OID="I.A" Name="a" DataType="integer"><CodeListRef CodeListOID="CL.X"/></ItemDef>)"));
  CHECK(list.message().find("CodeListOID 'CL.X'") != std::string::npos);
  const Error root = errorOf(parseOdm, "fel.xml", fixture("ddi-c/hoftplastik.xml"));
  CHECK(root.message().find("root element ODM") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Hardened XML

TEST_CASE("XML: a DOCTYPE is refused, which defuses XXE and entity bombs", "[import][odm]") {
  const std::string xxe = R"(<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3"><Study OID="S"><GlobalVariables><StudyName>&e;</StudyName></GlobalVariables></Study></ODM>
)";
  const Error e = errorOf(parseOdm, "xxe.xml", xxe);
  CHECK(e.kind() == Error::Kind::Invalid);
  CHECK(e.where().rfind("xxe.xml:2", 0) == 0);
  CHECK(e.message().find("DOCTYPE declarations are not accepted") != std::string::npos);
  CHECK(std::string(e.what()).find("root:") == std::string::npos);

  // Billion laughs: lol9 expands to 10^9 "lol"s.
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + std::to_string(i - 1) + ";";
    laughs += "\">\n";
  }
  laughs += "]>\n<ODM><Study OID=\"&lol9;\">&lol9;</Study></ODM>\n";
  const auto start = std::chrono::steady_clock::now();
  const Error bomb = errorOf(parseOdm, "lol.xml", laughs);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  CHECK(bomb.message().find("DOCTYPE") != std::string::npos);

  // A DTD with an external subset is refused before anything could fetch it.
  const Error external = errorOf(parseDdiCodebook, "ext.xml",
                                 "<?xml version=\"1.0\"?>\n<!DOCTYPE codeBook SYSTEM "
                                 "\"http://example.invalid/codebook.dtd\">\n"
                                 "<codeBook/>\n");
  CHECK(external.where().rfind("ext.xml:2", 0) == 0);
  CHECK(external.message().find("DOCTYPE") != std::string::npos);
  const Error ddil =
      errorOf(parseDdiLifecycle, "ddil.xml",
              "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><x>&e;</x>");
  CHECK(ddil.message().find("DOCTYPE") != std::string::npos);
}

TEST_CASE("XML: malformed, truncated, empty and oversized input is refused with a place",
          "[import][odm]") {
  const Error bad =
      errorOf(parseOdm, "bad.xml", "<?xml version=\"1.0\"?>\n<ODM>\n  <Study OID=\"S\">\n</ODM>\n");
  CHECK(bad.where() == "bad.xml:4:7");
  CHECK(bad.message().find("mismatch") != std::string::npos);

  std::string whole = fixture("odm/hjartsvikt.xml");
  const Error cut = errorOf(parseOdm, "kort.xml", whole.substr(0, whole.size() / 2));
  CHECK(cut.where().rfind("kort.xml:", 0) == 0);
  CHECK(cut.kind() == Error::Kind::Invalid);

  CHECK(errorOf(parseOdm, "tom.xml", "  \n").where() == "tom.xml:1:1");
  // An entity that no DTD declares cannot be expanded either.
  CHECK(errorOf(parseOdm, "ent.xml", "<ODM>&xxe;</ODM>").message().find("xxe") !=
        std::string::npos);

  try {
    xml::Document::parse("<ODM/>" + std::string(100, ' '), "stor.xml", 64);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == Error::Kind::TooLarge);
    CHECK(e.where() == "stor.xml");
  }
  CHECK(xml::kMaxXmlSize == size_t(256) << 20);

  // An undeclared namespace prefix leaves the document well-formed: imported, with a warning.
  auto r = run(parseOdm, "ns.xml",
               odmWithItems(R"(<ItemRef ItemOID="I.A" Mandatory="No"/>)",
                            R"(<ItemDef OID="I.A" Name="a" DataType="integer" oc:Extra="1"/>)"));
  CHECK(r.doc.variables.size() == 1);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("ns.xml:7:", 0) == 0);
  CHECK(r.warnings[0].find("Namespace prefix oc") != std::string::npos);
}

TEST_CASE("XML: helpers find elements across prefixes and name places", "[import][odm]") {
  const auto doc = xml::Document::parse(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
      "<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xml:lang=\"sv\">\n"
      "  <a:x n=\"1\"/><b:x n=\"2\"/>\n"
      "  <a:x n=\"3\" xml:lang=\"en\">  Ha\xCC\x88lsa\n  och   va\xCC\x8ard </a:x>\n"
      "  <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" "
      "parse=\"text\"/>\n"
      "</a:r>\n",
      "h.xml");
  const xmlNode* root = doc.root();
  CHECK(xml::children(root, "x").size() == 3);
  CHECK(xml::children(root, "x", "urn:b").size() == 1);
  const auto xs = xml::children(root, "x", "urn:a");
  REQUIRE(xs.size() == 2);
  CHECK(xml::attr(xs[1], "n") == "3");
  CHECK(xml::lang(xs[0]) == "sv");  // inherited
  CHECK(xml::lang(xs[1]) == "en");
  // The encoding declaration is ignored (the text is UTF-8); text is NFC and whitespace-collapsed.
  CHECK(xml::text(xs[1]) == "Hälsa och vård");
  CHECK(doc.location(xs[1]) == "h.xml:4 /r/x[3]");
  CHECK(doc.location(root) == "h.xml:2 /r");
  // XInclude is never processed.
  CHECK(xml::text(root).find("root") == std::string::npos);

  CHECK(xml::sanitizeLocalName("Längd (cm)") == "Längd_cm");
  CHECK(xml::sanitizeLocalName("check_one___1.choices") == "check_one___1.choices");
  CHECK(xml::sanitizeLocalName("  ") == "");
  CHECK(xml::normalizeUnit("mm Hg") == "mm[Hg]");
  CHECK(xml::normalizeUnit("µmol/l") == "umol/L");
  CHECK(xml::normalizeUnit("år") == "a");
  CHECK(xml::normalizeUnit("kg/m²") == "kg/m2");
  CHECK(xml::normalizeUnit("poäng") == "poäng");
  CHECK(xml::parseNumber("70,5") == Approx(70.5));
  CHECK_FALSE(xml::parseNumber("nan"));
  CHECK_FALSE(xml::parseNumber("12 kg"));
  CHECK(xml::classifyLang("sv-SE") == xml::Lang::Sv);
  CHECK(xml::classifyLang("en-US") == xml::Lang::En);
  CHECK(xml::classifyLang("fr") == xml::Lang::Other);
  std::string used;
  const Text t = xml::pickText({{"fr", "Bonjour"}, {"de", "Hallo"}}, &used);
  CHECK(t.sv == "Bonjour");
  CHECK(used == "fr");
}

// ---------------------------------------------------------------------------------------------
// DDI-Codebook 2.5

TEST_CASE("DDI-C: a Swedish codebook imports files, categories, ranges and missing codes",
          "[import][ddi]") {
  auto r = run(parseDdiCodebook, "hoftplastik.xml", fixture("ddi-c/hoftplastik.xml"), "hp");
  CHECK(r.register_named_from_file);
  CHECK(r.doc.reg.name.sv == "Testregistret för höftledsplastik");
  CHECK(r.doc.reg.name.en == "Test Register of Hip Arthroplasty");
  CHECK(r.doc.reg.description.sv.find("höftledsoperationer") != std::string::npos);
  CHECK(r.doc.reg.description.en.find("hip arthroplasties") != std::string::npos);

  REQUIRE(r.doc.datasets.size() == 2);
  CHECK(r.doc.datasets[0].id == "operation");
  CHECK(r.doc.datasets[0].name.sv == "Operationer");
  CHECK(r.doc.datasets[0].description.sv == "En rad per opererad höft.");
  CHECK(r.doc.datasets[1].id == "uppfoljning");
  CHECK(r.doc.datasets[1].name.en == "One-year follow-up");

  CHECK(names(r, "operation") ==
        std::vector<std::string>{"lopnr", "ålder", "kön", "operationsdatum", "bmi", "asa_klass"});
  CHECK(names(r, "uppfoljning") ==
        std::vector<std::string>{"lopnr", "eq5d_smärta", "vas_smärta", "kommentar"});
  CHECK(r.doc.variables.size() == 10);
  CHECK(r.doc.codelists.size() == 3);

  const auto& lopnr = var(r, "operation", "lopnr");
  CHECK(lopnr.datatype == "string");
  CHECK(hasAlias(lopnr, "V1"));
  CHECK(lopnr.definition.sv.find("kopplar operation") != std::string::npos);

  const auto& alder = var(r, "operation", "ålder");
  CHECK(alder.datatype == "integer");
  CHECK(alder.min == Approx(18));
  CHECK(alder.max == Approx(110));
  REQUIRE(alder.missing_codes.size() == 1);
  CHECK(alder.missing_codes[0].code == "999");
  CHECK(alder.missing_codes[0].label.sv == "Uppgift saknas");
  CHECK(alder.missing_codes[0].label.en == "Not reported");
  CHECK(alder.unit.empty());  // DDI-C has no unit element
  CHECK(alder.origin == "hoftplastik.xml:40 /codeBook/dataDscr/var[2]");

  const auto& kon = var(r, "operation", "kön");
  CHECK(kon.datatype == "code");
  CHECK(kon.codelist == "hp.V3");
  const auto& konList = codeList(r, "hp.V3");
  CHECK(konList.name.sv == "Kön");
  REQUIRE(konList.items.size() == 3);
  CHECK(konList.items[1].label.sv == "Kvinna");
  CHECK(konList.items[1].label.en == "Female");
  CHECK_FALSE(konList.items[1].is_missing);
  CHECK(konList.items[2].is_missing);

  const auto& datum = var(r, "operation", "operationsdatum");
  CHECK(datum.datatype == "date");
  CHECK(datum.format == "SDATE10");
  const auto& bmi = var(r, "operation", "bmi");
  CHECK(bmi.datatype == "decimal");
  CHECK(bmi.max == Approx(70.5));  // written with a decimal comma
  CHECK(bmi.definition.sv.find("kvadrat") != std::string::npos);
  CHECK(codeList(r, var(r, "operation", "asa_klass").codelist).items.size() == 4);

  const auto& eq5d = var(r, "uppfoljning", "eq5d_smärta");
  CHECK(eq5d.datatype == "code");
  CHECK(eq5d.question.sv.rfind("Markera det alternativ", 0) == 0);
  CHECK(eq5d.question.en.rfind("Tick the box", 0) == 0);
  CHECK(codeList(r, eq5d.codelist).items.back().is_missing);

  const auto& vas = var(r, "uppfoljning", "vas_smärta");
  CHECK(vas.datatype == "integer");
  CHECK(vas.max == Approx(100));
  REQUIRE(vas.missing_codes.size() == 2);
  CHECK(vas.missing_codes[0].code == "-9");
  CHECK(vas.missing_codes[0].label.sv == "Ej besvarat");
  CHECK(vas.missing_codes[1].label.sv == "Vet inte");
  CHECK(vas.question.sv == "Hur ont har du haft i höften den senaste månaden?");
  CHECK(var(r, "uppfoljning", "kommentar").datatype == "string");
  CHECK(r.warnings.empty());
}

TEST_CASE("DDI-C: variables without a file go to --dataset, else main", "[import][ddi]") {
  const std::string xml =
      R"(<codeBook><stdyDscr><citation><titlStmt><titl>Utan filer</titl></titlStmt></citation></stdyDscr>
<dataDscr><var name="a" intrvl="contin"><labl>A</labl></var><var name="b b"><labl>B</labl><varFormat type="character"/></var></dataDscr></codeBook>)";
  auto r = run(parseDdiCodebook, "c.xml", xml);
  REQUIRE(r.doc.datasets.size() == 1);
  CHECK(r.doc.datasets[0].id == "main");
  CHECK(names(r, "main") == std::vector<std::string>{"a", "b_b"});
  CHECK(var(r, "main", "a").datatype == "decimal");
  CHECK(hasAlias(var(r, "main", "b_b"), "b b"));
  auto d = run(parseDdiCodebook, "c.xml", xml, "testreg", false, "besok");
  CHECK(d.doc.datasets[0].id == "besok");
  CHECK(names(d, "besok").size() == 2);
}

TEST_CASE("DDI-C: errors name the var", "[import][ddi]") {
  const Error dup = errorOf(parseDdiCodebook, "d.xml",
                            "<codeBook xmlns=\"ddi:codebook:2_5\"><stdyDscr/><dataDscr>\n"
                            "<var name=\"kön\"/>\n<var name=\"kön\"/>\n</dataDscr></codeBook>");
  CHECK(dup.where() == "d.xml:3 /codeBook/dataDscr/var[2]");
  CHECK(dup.message().find("duplicate variable name 'kön' in dataset 'main'") != std::string::npos);
  const Error file =
      errorOf(parseDdiCodebook, "f.xml",
              "<codeBook><dataDscr><var name=\"x\" files=\"F9\"/></dataDscr></codeBook>");
  CHECK(file.message().find("refers to file 'F9'") != std::string::npos);
  const Error code =
      errorOf(parseDdiCodebook, "k.xml",
              "<codeBook><dataDscr><var name=\"x\"><catgry><catValu>1</catValu></catgry>"
              "<catgry><catValu>1</catValu></catgry></var></dataDscr></codeBook>");
  CHECK(code.where() == "k.xml:1 /codeBook/dataDscr/var/catgry[2]");
  CHECK(code.message().find("catValu '1' appears twice") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// DDI-Lifecycle 3.3

TEST_CASE("DDI-L: a Swedish DDI instance imports representations, code lists and references",
          "[import][ddi]") {
  auto r = run(parseDdiLifecycle, "diabetes.xml", fixture("ddi-l/diabetes.xml"), "db");
  CHECK(r.register_named_from_file);
  CHECK(r.doc.reg.name.sv == "Testregistret för diabetes");
  CHECK(r.doc.reg.name.en == "Test Register of Diabetes");
  CHECK(r.doc.reg.description.sv.find("årskontroller") != std::string::npos);

  REQUIRE(r.doc.datasets.size() == 1);
  CHECK(r.doc.datasets[0].id == "Årskontroll");
  CHECK(r.doc.datasets[0].description.sv == "Uppgifter som rapporteras vid årskontrollen.");
  const std::string ds = "Årskontroll";
  CHECK(names(r, ds) == std::vector<std::string>{"kön", "ålder", "vikt", "hba1c", "provdatum",
                                                 "rökning", "huvuddiagnos", "V_KOMMENTAR"});

  const auto& kon = var(r, ds, "kön");
  CHECK(kon.datatype == "code");
  CHECK(kon.codelist == "db.CL_KON");
  CHECK(hasAlias(kon, "urn:ddi:se.testreg:V_KON:1.0.0"));
  const auto& konList = codeList(r, "db.CL_KON");
  CHECK(konList.name.sv == "Kön");
  CHECK(konList.name.en == "Sex");
  REQUIRE(konList.items.size() == 3);
  CHECK(konList.items[0].label.sv == "Man");
  CHECK(konList.items[1].label.en == "Female");
  CHECK(konList.items[2].code == "9");
  CHECK(konList.items[2].is_missing);  // the category isMissing

  const auto& alder = var(r, ds, "ålder");
  CHECK(alder.datatype == "integer");
  CHECK(alder.unit == "a");
  CHECK(alder.min == Approx(18));
  CHECK(alder.max == Approx(120));
  CHECK(alder.label.en == "Age at the visit");
  CHECK(var(r, ds, "vikt").datatype == "decimal");
  CHECK(var(r, ds, "vikt").unit == "kg");
  CHECK(var(r, ds, "provdatum").datatype == "date");

  // No representation of its own: the RepresentedVariable's, with its label and description.
  const auto& hba1c = var(r, ds, "hba1c");
  CHECK(hba1c.datatype == "integer");
  CHECK(hba1c.unit == "mmol/mol");
  CHECK(hba1c.min == Approx(20));
  CHECK(hba1c.max == Approx(200));
  CHECK(hba1c.label.sv == "HbA1c (IFCC)");
  CHECK(hba1c.definition.sv == "Glykerat hemoglobin mätt enligt IFCC-standard.");
  CHECK(hasAlias(hba1c, "urn:ddi:se.testreg:RV_HBA1C:1.0.0"));
  CHECK(hasAlias(hba1c, "urn:ddi:se.testreg:C_GLYKEMI:1.0.0"));

  const auto& rokning = var(r, ds, "rökning");
  CHECK(rokning.codelist == "db.CL_ROKNING");
  CHECK(rokning.question.sv == "Röker du, eller har du rökt tidigare?");
  CHECK(rokning.question.en == "Do you smoke, or have you smoked before?");
  CHECK(rokning.definition.sv == "Patientens egen uppgift om rökning.");
  CHECK(hasAlias(rokning, "urn:ddi:se.testreg:C_TOBAK:1.0.0"));
  REQUIRE(rokning.missing_codes.size() == 1);  // ManagedMissingValuesRepresentation
  CHECK(rokning.missing_codes[0].code == "-9");
  CHECK(rokning.missing_codes[0].label.sv == "Ej besvarat");

  // A code list kept elsewhere: an empty list records the reference.
  const auto& diagnos = var(r, ds, "huvuddiagnos");
  CHECK(diagnos.datatype == "code");
  const auto& icd = codeList(r, diagnos.codelist);
  CHECK(icd.items.empty());
  CHECK(icd.system.uri == "urn:ddi:se.socialstyrelsen:ICD10SE:2024");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("ICD10SE") != std::string::npos);

  // VariableName "Kommentar från vårdgivaren" is no identifier: the ID names the variable.
  const auto& kommentar = var(r, ds, "V_KOMMENTAR");
  CHECK(kommentar.datatype == "string");
  CHECK(hasAlias(kommentar, "Kommentar från vårdgivaren"));
  CHECK(r.doc.codelists.size() == 3);
}

TEST_CASE("DDI-L: the official RepresentedVariable example imports with exact counts",
          "[import][ddi]") {
  auto r = run(parseDdiLifecycle, "RepresentedVariableExample.xml",
               shared("ddi-l-3.3/RepresentedVariableExample.xml"), "mpc");
  CHECK_FALSE(r.register_named_from_file);  // a LogicalProduct carries no study title
  // One VariableScheme without a name -> `main`; its 2 Variables (the 2 RepresentedVariables
  // are reusable definitions, not variables); no code lists.
  REQUIRE(r.doc.datasets.size() == 1);
  CHECK(r.doc.datasets[0].id == "main");
  CHECK(names(r, "main") == std::vector<std::string>{"Var_Age", "Var_Age_13_19"});
  CHECK(r.doc.codelists.empty());

  const auto& age = var(r, "main", "Var_Age");
  CHECK(age.label.en == "Age of Person in Years");
  CHECK(hasAlias(age, "Age of Person"));
  CHECK(hasAlias(age, "urn:ddi:us.mpc:Var_Age:1"));
  CHECK(hasAlias(age, "urn:ddi:us.mpc:RV_Age:1"));
  CHECK(hasAlias(age, "urn:ddi:us.mpc:Concept_Age:1.0"));
  // Its ManagedNumericRepresentation is external: the RepresentedVariable's Integer is used.
  CHECK(age.datatype == "integer");

  const auto& teen = var(r, "main", "Var_Age_13_19");
  CHECK(teen.datatype == "integer");  // RecommendedDataType
  CHECK(teen.unit == "a");            // "Years"
  CHECK(teen.min == Approx(13));
  CHECK(teen.max == Approx(19));
  CHECK(teen.definition.en.find("13 to 19") != std::string::npos);

  auto named = run(parseDdiLifecycle, "x.xml", shared("ddi-l-3.3/RepresentedVariableExample.xml"),
                   "mpc", false, "personer");
  CHECK(named.doc.datasets[0].id == "personer");
}

TEST_CASE("DDI-L: errors name the place", "[import][ddi]") {
  const std::string head =
      R"(<l:VariableScheme xmlns:l="ddi:logicalproduct:3_3" xmlns:r="ddi:reusable:3_3">)";
  const Error dup = errorOf(parseDdiLifecycle, "v.xml",
                            head +
                                "\n<l:Variable><r:ID>A</r:ID><l:VariableName><r:String>x</"
                                "r:String></l:VariableName></l:Variable>"
                                "\n<l:Variable><r:ID>B</r:ID><l:VariableName><r:String>x</"
                                "r:String></l:VariableName></l:Variable>"
                                "\n</l:VariableScheme>");
  CHECK(dup.where() == "v.xml:3 /VariableScheme/Variable[2]");
  CHECK(dup.message().find("duplicate variable name 'x'") != std::string::npos);
  const Error ref = errorOf(parseDdiLifecycle, "v.xml",
                            head +
                                "<r:VariableReference><r:URN>urn:ddi:se.x:V9:1</r:URN>"
                                "<r:TypeOfObject>Variable</r:TypeOfObject></r:VariableReference>"
                                "<l:Variable><r:ID>A</r:ID></l:Variable></l:VariableScheme>");
  CHECK(ref.message().find("urn:ddi:se.x:V9:1") != std::string::npos);
  // A group that references itself is read once, not forever.
  auto cyclic = run(parseDdiLifecycle, "g.xml",
                    head +
                        "<l:Variable><r:ID>A</r:ID><l:VariableName><r:String>a</r:String>"
                        "</l:VariableName><r:TextRepresentation/></l:Variable>"
                        "<l:VariableGroup><r:ID>G</r:ID><r:VariableReference><r:ID>A</r:ID>"
                        "<r:TypeOfObject>Variable</r:TypeOfObject></r:VariableReference>"
                        "<l:VariableGroupReference><r:ID>G</r:ID><r:TypeOfObject>VariableGroup"
                        "</r:TypeOfObject></l:VariableGroupReference></l:VariableGroup>"
                        "</l:VariableScheme>");
  CHECK(names(cyclic, "main") == std::vector<std::string>{"a"});
  const Error none = errorOf(parseDdiLifecycle, "n.xml", fixture("odm/hjartsvikt.xml"));
  CHECK(none.message().find("DDI-Lifecycle") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Through the format dispatcher

TEST_CASE("XML formats import through parseVariableFile", "[import][odm][ddi]") {
  VariableImportOptions opt;
  opt.register_id = "hf";
  auto odm = parseVariableFile("hjartsvikt.xml", fixture("odm/hjartsvikt.xml"), opt);
  CHECK(odm.format == "odm");
  CHECK(odm.doc.variables.size() == 17);
  CHECK(odm.doc.reg.name.sv == "Testregistret för hjärtsvikt");
  opt.register_id = "hp";
  auto ddic = parseVariableFile("hoftplastik.xml", fixture("ddi-c/hoftplastik.xml"), opt);
  CHECK(ddic.format == "ddi-c");
  CHECK(ddic.doc.variables.size() == 10);
  opt.register_id = "db";
  auto ddil = parseVariableFile("diabetes.xml", fixture("ddi-l/diabetes.xml"), opt);
  CHECK(ddil.format == "ddi-l");
  CHECK(ddil.doc.variables.size() == 8);
}

TEST_CASE("XML imports are accepted by the store and re-import unchanged", "[import][odm][ddi]") {
  test::TestStore t;
  struct File {
    std::string name, registerId, bytes;
    size_t variables, codelists;
  };
  const std::vector<File> files = {
      {"hjartsvikt.xml", "hf", fixture("odm/hjartsvikt.xml"), 17, 4},
      {"redcap_diabetes.xml", "dm", fixture("odm/redcap_diabetes.xml"), 13, 6},
      {"MetaData_Dave.xml", "ces",
       shared("odm-1.3.2/MetaData_Dave_1_3_2_new_2006_01_26_extra_languages.xml"), 90, 12},
      {"checkboxes.xml", "cb", shared("redcap/checkboxes-1/project.xml"), 15, 13},
      {"trial.xml", "ct", shared("redcap/clinical-trial-1/project.xml"), 13, 4},
      {"types.xml", "vt", shared("redcap/validation-types-1/project.xml"), 53, 9},
      {"hoftplastik.xml", "hp", fixture("ddi-c/hoftplastik.xml"), 10, 3},
      {"diabetes.xml", "db", fixture("ddi-l/diabetes.xml"), 8, 3},
      {"RepresentedVariableExample.xml", "mpc", shared("ddi-l-3.3/RepresentedVariableExample.xml"),
       2, 0},
  };
  for (const auto& f : files) {
    INFO(f.name);
    VariableImportOptions opt;
    opt.register_id = f.registerId;
    // Format detection knows DDI-L by its instance roots; this example's root is a
    // LogicalProduct.
    if (f.registerId == "mpc") opt.format = "ddi-l";
    WriteContext wc;
    wc.source_file = f.name;
    auto [parsed, report] =
        applyVariableImport(*t.store, f.name, f.bytes, opt, {}, wc, "Region Testland");
    CHECK(report.registers_created == std::vector<std::string>{f.registerId});
    CHECK(report.count("added") == int(f.variables));
    CHECK(report.codelists.size() == f.codelists);
    auto [again, second] =
        applyVariableImport(*t.store, f.name, f.bytes, opt, {}, wc, "Region Testland");
    CHECK(second.count("unchanged") == int(f.variables));
    CHECK(second.count("added") == 0);
    CHECK(second.count("changed") == 0);
  }
}
