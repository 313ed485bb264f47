// A small UCUM subset for comparing the units registers write: enough to tell whether two
// numeric variables measure in the same unit, in units one factor apart (g and kg, mmHg and
// kPa), or in different quantities (mmol/L and mg/dL). Not a UCUM validator: it accepts UCUM
// codes ("mm[Hg]", "mL/min/{1.73_m2}", "10*9/L") as well as the informal and Swedish spellings
// found in variable lists ("mmHg", "ml/min/1,73m2", "år", "dygn", "µmol/l", "kg/m²", "°C").
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace regcat::units {

// Exponents of the base quantities. Mass is in grams (as in UCUM), so a kPa has factor 1e6.
// Arbitrary units ([iU], IE) have a base of their own: they convert to nothing else.
enum Base { kLength, kMass, kTime, kAmount, kTemperature, kArbitrary, kBaseCount };
using Dimension = std::array<int, kBaseCount>;

struct Unit {
  std::string written;  // as given
  std::string
      canonical;  // UCUM-style spelling: "mmol/l" -> "mmol/L", "år" -> "a", "mmHg" -> "mm[Hg]"
  Dimension dimension{};
  double factor = 1;  // value in base units = value * factor + offset
  double offset = 0;  // non-zero only for a lone °C or °F
  // For a dimensionless unit, the dimension of what is divided by itself: "mmol/mol" is a ratio
  // of amounts, "%" and "1" of nothing. Kept because a percentage does not say what it is a
  // fraction of, so % and mmol/mol are not one factor apart (HbA1c DCCT % versus IFCC mmol/mol).
  Dimension ratio_of{};
  // Per 1.73 m² of body surface ("mL/min/{1.73_m2}"): not convertible to an absolute value
  // without each patient's body surface, so treated as a division by an area.
  bool body_surface = false;
};

// nullopt when the string is empty or any part of it is not understood.
std::optional<Unit> parse(std::string_view written);

enum class Relation { Same, Convertible, DifferentDimension, Unknown };
const char* relationName(Relation r);  // same, convertible, different-dimension, unknown

struct Conversion {
  Relation relation = Relation::Unknown;
  double factor = 1, offset = 0;  // a value in b's unit = value in a's unit * factor + offset
  std::string from, to;           // canonical spellings (as written when not understood)
  // Why the dimensions differ or what is not understood, for the caller to explain:
  // molar-mass-needed (amount versus mass of a substance), body-surface-normalised (one side
  // per 1.73 m²), different-ratios (e.g. % versus mmol/mol), arbitrary-units (IE/[iU]),
  // unknown-a, unknown-b, unknown-both; empty otherwise.
  std::string note;
};

// Same: equal after normalisation (also "mL" and "cm3", "/min" and "slag/min"). Factors are
// rounded to 12 significant digits so that g to kg is exactly 0.001.
Conversion convert(std::string_view a, std::string_view b);

}  // namespace regcat::units
