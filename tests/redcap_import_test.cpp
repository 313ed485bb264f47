#include <catch2/catch.hpp>

#include "catalog/errors.h"
#include "catalog/store.h"
#include "importers/variable_import.h"
#include "test_support.h"

using namespace regcat;

namespace {

const char* kHeader =
    "\"Variable / Field Name\",\"Form Name\",\"Section Header\",\"Field Type\",\"Field "
    "Label\",\"Choices, Calculations, OR Slider Labels\",\"Field Note\",\"Text Validation Type "
    "OR Show Slider Number\",\"Text Validation Min\",\"Text Validation "
    "Max\",Identifier?,\"Branching Logic (Show field only if...)\",\"Required Field?\",\"Custom "
    "Alignment\",\"Question Number (surveys only)\",\"Matrix Group Name\",\"Matrix "
    "Ranking?\",\"Field Annotation\"\n";

struct Parsed {
  VariableImportOptions opt;
  VariableImportResult result;
};

Parsed parse(const std::string& csv, const std::string& file = "file.csv",
             bool skipInvalid = false) {
  Parsed p;
  p.opt.register_id = "hjartsvikt";
  p.opt.format = "redcap";
  p.opt.skip_invalid = skipInvalid;
  ParseContext ctx{file, p.opt, p.result};
  parseRedcapDictionary(csv, ctx);
  return p;
}

// The message a parse fails with ("" if it does not fail).
std::string errorOf(const std::string& csv) {
  try {
    parse(csv);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

using test::list;
using test::var;

std::string fixture(const std::string& name) {
  return test::readFile(std::string(REGCAT_SOURCE_DIR) + "/tests/fixtures/redcap/" + name);
}

std::string conformance(const std::string& project) {
  return test::readFile(std::string(REGCAT_SOURCE_DIR) + "/../shared/conformance/fixtures/redcap/" +
                        project + "/dictionary.csv");
}

}  // namespace

TEST_CASE("REDCap: a Swedish dictionary with every field type", "[import][redcap]") {
  const auto p = parse(fixture("hjartsvikt_dictionary.csv"), "hjartsvikt_dictionary.csv");
  const auto& doc = p.result.doc;
  CHECK(doc.reg.id == "hjartsvikt");
  CHECK(doc.reg.name.sv == "hjartsvikt");

  // 31 rows: one descriptive field skipped, a checkbox with 4 choices adds 4 variables.
  REQUIRE(doc.variables.size() == 34);
  REQUIRE(doc.datasets.size() == 3);
  CHECK(doc.datasets[0].id == "inklusion");
  CHECK(doc.datasets[0].name.sv == "Inklusion");
  CHECK(doc.datasets[1].id == "uppfoljning");
  CHECK(doc.datasets[2].name.sv == "Labb");
  CHECK(doc.datasets[0].origin == "hjartsvikt_dictionary.csv:2");
  // kon, rokning (shared with rokning_uppf), yesno (diabetes, hypertoni), tidigare_sjukdomar,
  // nyha, truefalse.
  REQUIRE(doc.codelists.size() == 6);

  // Dictionary order, with the checkbox group followed by its choices.
  CHECK(doc.variables[0].name == "record_id");
  CHECK(doc.variables[12].name == "tidigare_sjukdomar");
  CHECK(doc.variables[13].name == "tidigare_sjukdomar___1");
  CHECK(doc.variables.back().name == "lab_kommentar");
  for (const auto& v : doc.variables) {
    CHECK(v.register_id == "hjartsvikt");
    CHECK(isValidDatatype(v.datatype));
  }

  const auto& pnr = var(doc, "personnummer");
  CHECK(pnr.identifier_class == "direct");
  CHECK(pnr.mandatory);
  CHECK(pnr.datatype == "string");
  CHECK(pnr.definition.sv == "ÅÅÅÅMMDD-NNNN");
  CHECK(pnr.origin == "hjartsvikt_dictionary.csv:3");
  CHECK(pnr.question.sv == "Personnummer");

  const auto& dob = var(doc, "fodelsedatum");
  CHECK(dob.datatype == "date");
  CHECK(dob.identifier_class == "direct");
  CHECK_FALSE(dob.min);  // date bounds are not numbers
  CHECK(dob.format.empty());

  const auto& kon = var(doc, "kon");
  CHECK(kon.datatype == "code");
  CHECK(kon.codelist == "hjartsvikt.kon");
  CHECK(kon.mandatory);
  const auto& konList = list(doc, "hjartsvikt.kon");
  REQUIRE(konList.items.size() == 3);
  CHECK(konList.items[1].code == "2");
  CHECK(konList.items[1].label.sv == "Kvinna");
  CHECK_FALSE(konList.items[1].is_missing);
  CHECK(konList.items[2].label.sv == "Okänt");
  CHECK(konList.items[2].is_missing);
  CHECK(konList.name.sv == "Kön");
  CHECK(konList.register_id == "hjartsvikt");

  CHECK(var(doc, "langd").datatype == "integer");
  CHECK(var(doc, "langd").unit == "cm");
  CHECK(*var(doc, "langd").min == 100);
  CHECK(*var(doc, "langd").max == 230);
  CHECK(var(doc, "langd").definition.sv.empty());  // the note was only the unit

  const auto& vikt = var(doc, "vikt");
  CHECK(vikt.datatype == "decimal");
  CHECK(vikt.unit == "kg");
  CHECK(*vikt.min == Approx(30.0));
  CHECK(*vikt.max == Approx(250.5));  // decimal comma
  CHECK(vikt.format == "number_1dp");

  const auto& bmi = var(doc, "bmi");
  CHECK(bmi.datatype == "decimal");
  CHECK(bmi.calculation == "round([vikt]/(([langd]/100)^2),1)");
  CHECK(bmi.source == "computed");
  CHECK(bmi.unit == "kg/m2");

  const auto& bt = var(doc, "systoliskt_bt");
  CHECK(bt.unit == "mm[Hg]");
  CHECK(bt.label.sv == "Systoliskt blodtryck i vila");  // <br> becomes a space

  // Identical choices share the first field's list; yes/no lists are shared by all fields.
  CHECK(var(doc, "rokning").codelist == "hjartsvikt.rokning");
  CHECK(var(doc, "rokning_uppf").codelist == "hjartsvikt.rokning");
  CHECK(list(doc, "hjartsvikt.rokning").items[3].is_missing);  // Uppgift saknas
  CHECK(list(doc, "hjartsvikt.rokning").items[1].label.sv == "Före detta rökare");
  CHECK(var(doc, "diabetes").codelist == "hjartsvikt.yesno");
  CHECK(var(doc, "hypertoni").codelist == "hjartsvikt.yesno");
  const auto& yn = list(doc, "hjartsvikt.yesno");
  REQUIRE(yn.items.size() == 2);
  CHECK(yn.items[0].code == "1");
  CHECK(yn.items[0].label.sv == "Ja");
  CHECK(yn.items[0].label.en == "Yes");
  CHECK(yn.items[1].code == "0");
  CHECK(yn.items[1].label.sv == "Nej");
  CHECK(yn.items[1].label.en == "No");
  const auto& tf = list(doc, "hjartsvikt.truefalse");
  CHECK(var(doc, "avliden").codelist == "hjartsvikt.truefalse");
  CHECK(tf.items[0].label.sv == "Sant");
  CHECK(tf.items[1].label.en == "False");

  // Checkbox: the group as a code variable, one boolean per choice as REDCap exports them.
  const auto& group = var(doc, "tidigare_sjukdomar");
  CHECK(group.datatype == "code");
  CHECK(group.codelist == "hjartsvikt.tidigare_sjukdomar");
  const auto& flimmer = var(doc, "tidigare_sjukdomar___3");
  CHECK(flimmer.datatype == "boolean");
  CHECK(flimmer.codelist.empty());
  // The fixture spells ö decomposed (o + U+0308); labels are stored NFC.
  CHECK(flimmer.label.sv == "Tidigare sjukdomar: Förmaksflimmer");
  CHECK(list(doc, "hjartsvikt.tidigare_sjukdomar").items[2].label.sv == "Förmaksflimmer");
  CHECK(var(doc, "tidigare_sjukdomar___4").label.sv == "Tidigare sjukdomar: Njursvikt");

  CHECK(var(doc, "ovrigt").label.sv == "Övriga upplysningar");  // <span> stripped
  CHECK(var(doc, "ovrigt").definition.sv == "Fritext, högst 500 tecken");
  CHECK(var(doc, "ovrigt").datatype == "string");

  CHECK(var(doc, "nyha").codelist == "hjartsvikt.nyha");
  CHECK(list(doc, "hjartsvikt.nyha").items[4].is_missing);  // Vet ej
  const auto& slider = var(doc, "livskvalitet");
  CHECK(slider.datatype == "integer");
  CHECK(*slider.min == 0);
  CHECK(*slider.max == 100);
  CHECK(var(doc, "dodsdatum").datatype == "date");
  CHECK(var(doc, "dodsdatum").format == "date_dmy");
  CHECK(var(doc, "vardtid").unit == "d");
  CHECK(*var(doc, "vardtid").min == 0);
  CHECK_FALSE(var(doc, "vardtid").max);
  CHECK(var(doc, "samtycke").datatype == "string");
  CHECK(var(doc, "provdatum").datatype == "datetime");
  CHECK(var(doc, "hba1c").unit == "mmol/mol");
  CHECK(var(doc, "kreatinin").unit == "umol/L");
  CHECK(var(doc, "ldl").unit == "mmol/L");
  CHECK(var(doc, "ldl").definition.sv.empty());  // "Anges i mmol/L" says only the unit
  CHECK(var(doc, "ldl").datatype == "decimal");
  CHECK(var(doc, "ntprobnp").unit.empty());  // ng/L is not in the list: kept as the note
  CHECK(var(doc, "ntprobnp").definition.sv == "ng/L");
  CHECK(var(doc, "puls").unit == "/min");
  CHECK(var(doc, "ejektionsfraktion").unit == "%");
  CHECK(var(doc, "lab_kommentar").unit.empty());  // two units: neither
  CHECK(var(doc, "lab_kommentar").definition.sv == "Vikt i kg, längd i cm");

  REQUIRE(p.result.warnings.size() == 2);
  CHECK(p.result.warnings[0] ==
        "hjartsvikt_dictionary.csv:24: field 'samtycke' is a signature; imported as a string "
        "variable");
  CHECK(p.result.warnings[1] ==
        "hjartsvikt_dictionary.csv: 1 descriptive field skipped (text on the form, no data)");
  CHECK(p.result.skipped.empty());
}

TEST_CASE("REDCap: the Swedish dictionary passes the store's validation", "[import][redcap]") {
  test::TestStore db;
  VariableImportOptions opt;
  opt.register_id = "hjartsvikt";
  const std::string bytes = fixture("hjartsvikt_dictionary.csv");
  auto result = parseVariableFile("hjartsvikt_dictionary.csv", bytes, opt);
  CHECK(result.format == "redcap");
  CatalogDocument doc;
  doc.registers.push_back(result.doc);
  ImportOptions io;
  io.require_cpua = false;
  const auto report = db.store->applyImport(doc, io, WriteContext{});
  CHECK(report.count("added") == 34);
  CHECK(report.datasets_created.size() == 3);
  CHECK(report.codelists.size() == 6);
}

TEST_CASE("REDCap: freely licensed test projects import with exact counts", "[import][redcap]") {
  struct Expect {
    const char* project;
    size_t variables, datasets, codelists, warnings;
  };
  // Counted from the CSV files: a checkbox gives one variable per choice plus the group,
  // descriptive fields give none; identical choice sets share one list.
  const Expect expected[] = {
      {"checkboxes-1", 13, 2, 2, 0},        // 4 rows: 2 checkboxes with 4 and 5 choices
      {"clinical-trial-1", 12, 1, 3, 0},    // 12 rows, 3 radio fields
      {"validation-types-1", 52, 1, 3, 4},  // 50 rows, 1 descriptive, 3 checkbox choices;
                                            // checkbox/dropdown/radio share a list; yesno,
                                            // truefalse; warnings: 2 file, 1 sql, descriptive
  };
  for (const auto& e : expected) {
    INFO(e.project);
    const auto p = parse(conformance(e.project), std::string(e.project) + "/dictionary.csv");
    const auto& doc = p.result.doc;
    CHECK(doc.variables.size() == e.variables);
    CHECK(doc.datasets.size() == e.datasets);
    CHECK(doc.codelists.size() == e.codelists);
    CHECK(p.result.warnings.size() == e.warnings);
  }

  const auto cb = parse(conformance("checkboxes-1")).result.doc;
  CHECK(var(cb, "check_two___a").datatype == "boolean");
  CHECK(var(cb, "check_two___e").label.sv == "check two: E");
  CHECK(cb.datasets[1].name.sv == "Form 2");

  const auto ct = parse(conformance("clinical-trial-1")).result.doc;
  CHECK(var(ct, "name_last").identifier_class == "direct");
  CHECK(var(ct, "height").datatype == "decimal");
  CHECK(*var(ct, "weight").max == 300);
  CHECK(list(ct, "hjartsvikt.ethnicity").items[2].is_missing);   // "2, Missing"
  CHECK_FALSE(list(ct, "hjartsvikt.race").items[1].is_missing);  // "(Not Used)"

  const auto vt = parse(conformance("validation-types-1")).result.doc;
  CHECK(var(vt, "f_calculated").calculation == "3+4");
  CHECK(*var(vt, "f_slider").min == -1);
  CHECK(*var(vt, "f_slider").max == 101);
  CHECK(var(vt, "f_radio").codelist == "hjartsvikt.f_checkbox");
  CHECK(var(vt, "v_datetime_seconds_mdy").datatype == "datetime");
  CHECK(var(vt, "v_number_2dp_comma_decimal").datatype == "decimal");
  CHECK(var(vt, "v_integer").datatype == "integer");
  CHECK(var(vt, "v_email").datatype == "string");
  CHECK(var(vt, "v_email").format == "email");
  CHECK(var(vt, "v_time_hh_mm").format == "HH:MM");
  CHECK(var(vt, "f_sql").datatype == "string");
}

TEST_CASE("REDCap: broken dictionaries fail naming file and line", "[import][redcap]") {
  const std::string ok = "kon,baslinje,,radio,Kön,\"1, Man | 2, Kvinna\",,,,,,,,,,,,\n";

  SECTION("truncated inside a quoted field") {
    const std::string msg =
        errorOf(std::string(kHeader) + ok + "rokning,baslinje,,radio,Rökning,\"1, Ja | 2,");
    CHECK(msg == "file.csv:3: a quoted field is never closed");
  }
  SECTION("truncated row") {
    const std::string msg = errorOf(std::string(kHeader) + ok + "vikt,baslinje,,text,Vikt");
    CHECK(msg.find("file.csv:3: expected 18 columns as in the header, found 5") == 0);
  }
  SECTION("wrong column count") {
    const std::string msg =
        errorOf(std::string(kHeader) + ok + ok.substr(0, ok.size() - 1) + ",extra,,\n");
    CHECK(msg.find("file.csv:3: expected 18 columns") == 0);
  }
  SECTION("unknown field type") {
    const std::string msg =
        errorOf(std::string(kHeader) + ok + "vikt,baslinje,,number,Vikt,,,,,,,,,,,,,\n");
    CHECK(msg ==
          "file.csv:3: unknown field type 'number' (REDCap field types are text, notes, radio, "
          "dropdown, checkbox, yesno, truefalse, calc, slider, file, sql, descriptive)");
  }
  SECTION("duplicate variable names") {
    const std::string msg = errorOf(std::string(kHeader) + ok + ok);
    CHECK(msg == "file.csv:3: duplicate variable name 'kon'");
  }
  SECTION("a checkbox choice that collides with another field") {
    const std::string msg = errorOf(std::string(kHeader) +
                                    "sjd___1,baslinje,,yesno,Sjukdom,,,,,,,,,,,,,\n"
                                    "sjd,baslinje,,checkbox,Sjukdom,\"1, A | 2, B\",,,,,,,,,,,,\n");
    CHECK(msg == "file.csv:3: duplicate variable name 'sjd___1'");
  }
  SECTION("invalid variable name") {
    const std::string msg =
        errorOf(std::string(kHeader) + "min vikt,baslinje,,text,Vikt,,,,,,,,,,,,,\n");
    CHECK(msg.find("file.csv:2: 'min vikt' is not a valid variable name") == 0);
  }
  SECTION("not a dictionary") {
    const std::string msg = errorOf("namn;etikett;datatyp\nvikt;Vikt;decimal\n");
    CHECK(msg.find("file.csv:1: not a REDCap data dictionary: the header row starts with "
                   "'namn', expected the columns \"Variable / Field Name\", \"Form Name\"") == 0);
  }
  SECTION("an unknown column") {
    std::string h = kHeader;
    h.insert(h.size() - 1, ",Färg");
    const std::string msg = errorOf(h + ok);
    CHECK(msg.find("file.csv:1: column 19 'Färg' is not a column of a REDCap data dictionary") ==
          0);
  }
  SECTION("choices without codes") {
    const std::string msg =
        errorOf(std::string(kHeader) + "kon,baslinje,,radio,Kön,\"Man | Kvinna\",,,,,,,,,,,,\n");
    CHECK(msg == "file.csv:2: choice 'Man' has no code (expected 'code, label', e.g. '1, Ja')");
  }
  SECTION("a bound that is not a number") {
    const std::string msg =
        errorOf(std::string(kHeader) + "vikt,baslinje,,text,Vikt,,,number,tio,,,,,,,,,\n");
    CHECK(msg == "file.csv:2: \"Text Validation Min\" 'tio' is not a number");
  }
  SECTION("an empty file") {
    CHECK(errorOf("") == "file.csv: the file is empty (expected a REDCap data dictionary)");
  }
}

TEST_CASE("REDCap: skip_invalid imports the good rows and reports the others", "[import][redcap]") {
  const std::string csv = std::string(kHeader) +
                          "kon,baslinje,,radio,Kön,\"1, Man | 2, Kvinna\",,,,,,,,,,,,\n"
                          "vikt,baslinje,,number,Vikt,,,,,,,,,,,,,\n"
                          "kon,baslinje,,text,Kön igen,,,,,,,,,,,,,\n"
                          "langd,baslinje,,text,Längd,,cm,integer,,,,,,,,,,\n"
                          "kort,baslinje,,text\n";
  const auto p = parse(csv, "file.csv", true);
  REQUIRE(p.result.doc.variables.size() == 2);
  CHECK(p.result.doc.variables[0].name == "kon");
  CHECK(p.result.doc.variables[1].name == "langd");
  REQUIRE(p.result.skipped.size() == 3);
  CHECK(p.result.skipped[0].where == "file.csv:3");
  CHECK(p.result.skipped[0].reason.find("unknown field type 'number'") == 0);
  CHECK(p.result.skipped[1].where == "file.csv:4");
  CHECK(p.result.skipped[1].reason == "duplicate variable name 'kon'");
  CHECK(p.result.skipped[2].where == "file.csv:6");
  CHECK(p.result.skipped[2].reason.find("expected 18 columns") == 0);
  CHECK(p.result.doc.codelists.size() == 1);
}

TEST_CASE("REDCap: older, API and spreadsheet-saved dictionaries", "[import][redcap]") {
  SECTION("16 columns, lower case headers, semicolons as Swedish Excel saves them") {
    const std::string csv =
        "variable / field name;form name;section header;field type;field label;choices, "
        "calculations, or slider labels;field note;text validation type or show slider "
        "number;text validation min;text validation max;identifier?;branching logic (show "
        "field only if...);required field?;custom alignment;question number (surveys "
        "only);matrix group name\n"
        "vikt;baslinje;;text;Vikt;;kg;number;0;300;;;y;;;\n"
        ";;;;;;;;;;;;;;;\n";
    const auto p = parse(csv);
    REQUIRE(p.result.doc.variables.size() == 1);
    CHECK(p.result.doc.variables[0].unit == "kg");
    CHECK(p.result.doc.variables[0].mandatory);
  }
  SECTION("the API's metadata column names") {
    const std::string csv =
        "field_name,form_name,section_header,field_type,field_label,select_choices_or_"
        "calculations,field_note,text_validation_type_or_show_slider_number,text_validation_"
        "min,text_validation_max,identifier,branching_logic,required_field,custom_alignment,"
        "question_number,matrix_group_name,matrix_ranking,field_annotation\n"
        "rokare,baslinje,,dropdown,<b>Röker</b> patienten?,\"1, Ja | 0, Nej | 8, Ej "
        "tillämpligt\",,,,,,,,,,,,\n";
    const auto p = parse(csv);
    REQUIRE(p.result.doc.variables.size() == 1);
    CHECK(p.result.doc.variables[0].label.sv == "Röker patienten?");
    CHECK(p.result.doc.codelists[0].items[2].is_missing);
  }
  SECTION("HTML is stripped only where it is a tag") {
    const std::string csv = std::string(kHeader) +
                            "bmi_grupp,baslinje,,text,\"BMI <25 eller a < b > c, <i>kursiv</i> "
                            "&amp; <span class=\"\"x\"\">fin</span>\",,,,,,,,,,,,,\n";
    const auto p = parse(csv);
    CHECK(p.result.doc.variables[0].label.sv == "BMI <25 eller a < b > c, kursiv & fin");
  }
}
