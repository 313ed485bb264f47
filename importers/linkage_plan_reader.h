// Linkage plans as JSON input (the API's request body, and the file 'regcat plan create'
// reads): the fields of mapping/linkage_plan.h. Registers may be ids or objects with the
// participant's documentation; variables name register, dataset and name, or give
// "variable": "register/dataset/name". Unknown fields are errors naming their path; fields
// the store manages (id, revision, status, review, ...) are accepted and ignored, so that a
// GET answer can be sent back.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "mapping/linkage_plan.h"

namespace regcat {

LinkagePlan readLinkagePlan(const rapidjson::Value& object, const std::string& path);
LinkagePlan readLinkagePlanJson(std::string_view bytes, const std::string& source);

}  // namespace regcat
