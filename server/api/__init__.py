"""The read API, ``/api/v1/…``: the catalogue, regions, observations and sources as JSON or CSV, the OpenAPI
document and the Frictionless data package. Every table comes from ``readmodel`` under the instance's policy."""
