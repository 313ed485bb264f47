// FAIR Data Point v1.2 metadata records (https://specs.fairdatapoint.org): the FDP itself, one
// catalogue of the registers, one dataset record per register and one distribution record per
// register (the data request route), each with its LDP container of children so that a client
// can walk FDP -> catalogue -> dataset -> distribution.
//
// The records follow the FDP's own shapes (../shared/conformance/fdp/shapes), which differ from
// DCAT-AP on purpose: one title and one description per record (English, else Swedish; the
// other language is kept as rdfs:label), dcat:mediaType as a literal, a mandatory dcat:version.
// Every record is typed dcat:Resource as the FDP does, and points to the register's persistent
// URI, which answers with the full DCAT-AP / HealthDCAT-AP description.
#pragma once

#include <string>
#include <vector>

#include "catalog/model.h"
#include "exporters/rdf_graph.h"

namespace regcat {

struct FdpOptions {
  std::string base_uri = "http://localhost:8080";
  std::string title = "regcat FAIR Data Point";
  std::string publisher = "regcat";  // foaf:name of whoever runs the FDP
  std::string software_version = "0.1.0";
  // Licence of the metadata records.
  std::string license = "http://creativecommons.org/publicdomain/zero/1.0/";
};

std::string fdpRootIri(const FdpOptions& o);     // {base}/fdp
std::string fdpCatalogIri(const FdpOptions& o);  // {base}/fdp/catalog/registers
std::string fdpDatasetIri(const FdpOptions& o, const std::string& registerId);
std::string fdpDistributionIri(const FdpOptions& o, const std::string& registerId);

// `registers` are all registers (their ids and dates are used).
rdf::Graph fdpRootGraph(const std::vector<Register>& registers, const FdpOptions& o);
rdf::Graph fdpCatalogGraph(const std::vector<Register>& registers, const FdpOptions& o);
rdf::Graph fdpDatasetGraph(const Register& r, const FdpOptions& o);
rdf::Graph fdpDistributionGraph(const Register& r, const FdpOptions& o);

}  // namespace regcat
