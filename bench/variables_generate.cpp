// Writes a synthetic register variable list in regcat's CSV layout (docs/variable-list-format.md)
// for import benchmarks: N variables over datasets of 200, Swedish and English labels and
// definitions, units and ranges for numbers, and an inline code list for one variable in three.
// Usage: variables_generate OUT.csv [--variables N] [--seed S]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

const char* kSv[] = {"systoliskt blodtryck", "diastoliskt blodtryck", "kroppsvikt", "kroppslängd",
                     "rökning", "tidigare hjärtinfarkt", "förmaksflimmer", "diabetes", "kreatinin",
                     "HbA1c", "höftledsartros", "smärta", "livskvalitet", "ankomstsätt",
                     "trombolys", "utskrivningsdatum", "boendeform", "läkemedel", "komplikation",
                     "vårdtid"};
const char* kEn[] = {"systolic blood pressure", "diastolic blood pressure", "body weight",
                     "body height", "smoking", "previous myocardial infarction",
                     "atrial fibrillation", "diabetes", "creatinine", "HbA1c", "hip osteoarthritis",
                     "pain", "quality of life", "mode of arrival", "thrombolysis",
                     "discharge date", "living arrangement", "medication", "complication",
                     "length of stay"};
const char* kUnits[] = {"mm[Hg]", "mm[Hg]", "kg", "cm", "", "", "", "", "umol/L", "mmol/mol",
                        "", "", "", "", "", "", "", "", "", "d"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: variables_generate OUT.csv [--variables N] [--seed S]\n");
    return 2;
  }
  long n = 50000;
  unsigned long seed = 4;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--variables") n = std::atol(argv[i + 1]);
    if (std::string(argv[i]) == "--seed") seed = std::strtoul(argv[i + 1], nullptr, 10);
  }
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  std::mt19937_64 g(seed);
  std::fprintf(f, "dataset,name,label_sv,label_en,definition_sv,definition_en,datatype,unit,min,max,"
                  "codes,mandatory,source,identifier_class,category,valid_from\n");
  const char* cats[] = {"background", "diagnostics", "treatment", "outcome"};
  for (long i = 0; i < n; ++i) {
    const int k = int(g() % 20);
    const std::string ds = "form" + std::to_string(i / 200);
    const std::string name = "var_" + std::to_string(i);
    const bool coded = i % 3 == 0;
    const bool numeric = !coded && kUnits[k][0] != '\0';
    std::string codes;
    if (coded) {
      codes = "1=Ja | 2=Nej | 9=Okänt*";
      if (g() % 2) codes = "1=Aldrig | 2=Före detta | 3=Dagligen | 4=Ibland | 9=Uppgift saknas*";
    }
    std::fprintf(f, "%s,%s,%s %ld,%s %ld,\"Uppgift om %s vid tillfälle %ld, enligt journal.\","
                    "\"%s at occasion %ld, from the record.\",%s,%s,%s,%s,\"%s\",%s,care-record,none,%s,"
                    "2015-01-01\n",
                 ds.c_str(), name.c_str(), kSv[k], i % 7, kEn[k], i % 7, kSv[k], i % 7, kEn[k], i % 7,
                 coded ? "code" : numeric ? "decimal" : "string", numeric ? kUnits[k] : "",
                 numeric ? "0" : "", numeric ? "500" : "", codes.c_str(), i % 4 ? "nej" : "ja",
                 cats[i % 4]);
  }
  std::fclose(f);
  std::printf("wrote %ld variables to %s\n", n, argv[1]);
  return 0;
}
