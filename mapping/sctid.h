// SNOMED CT identifiers: Verhoeff check digit, partition and namespace. Every id an RF2 import
// accepts passes isValidSctid for the component type of its column.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace regcat::sctid {

enum class Component { Concept, Description, Relationship };

// True when the last digit is the Verhoeff check digit of the rest.
bool verhoeffValid(std::string_view digits);
// The check digit for a digit string (without its check digit).
char verhoeffDigit(std::string_view digits);

// Partition identifier: the two digits before the check digit ("00"/"10" concept, "01"/"11"
// description, "02"/"12" relationship; the first digit 1 means a namespace follows).
std::optional<Component> partition(std::string_view id);
// The 7-digit namespace of an extension id (e.g. 1000052 for Sweden), 0 for core ids.
int64_t namespaceOf(std::string_view id);

// 6-18 digits, no leading zero, valid check digit and a partition of the expected kind.
bool isValid(std::string_view id, Component expected);
std::optional<int64_t> parse(std::string_view id, Component expected);

}  // namespace regcat::sctid
