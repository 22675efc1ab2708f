# Builds Vitrine's images from the one Dockerfile with `docker buildx bake`. Name this file:
# without -f, bake also reads compose.yaml, which needs a .env.
#   docker buildx bake -f docker-bake.hcl            # web and worker (group "default"), this
#                                                     # machine's platform, into the local engine
#   docker buildx bake -f docker-bake.hcl all        # every image, and the test stage
#   REGISTRY=registry.example.org/me TAG=$(git rev-parse HEAD) REVISION=$(git rev-parse HEAD) \
#     PLATFORMS=linux/amd64,linux/arm64 \
#     docker buildx bake -f docker-bake.hcl --push   # a builder with the docker-container driver;
#                                                     # REVISION: what deploy/deploy.sh checks
# The defaults work with a stock Docker engine (its default builder, the docker driver): one
# platform, no cache export. A registry cache next to the images is read and written only
# when REGISTRY is given, and the CI cache (CACHE_TYPE=gha) only when asked for: the docker
# driver can export neither, and `localhost/...` is no registry.

# where the images are pushed, e.g. registry.example.org/me/vitrine; empty: tagged
# localhost/vitrine/<target> in the local engine
variable "REGISTRY" {
  default = ""
}

variable "TAG" {
  default = "dev"
}

variable "VERSION" {
  default = "0.0.1-SNAPSHOT"
}

variable "REVISION" {
  default = "unknown"
}

variable "CREATED" {
  default = "unknown"
}

variable "SOURCE" {
  default = "https://example.invalid/vitrine"
}

# comma list, e.g. linux/amd64,linux/arm64 (CI); empty: this machine's platform
variable "PLATFORMS" {
  default = ""
}

# "gha" on GitHub Actions, "" for none
variable "CACHE_TYPE" {
  default = ""
}

# a Java truststore for Maven behind a TLS-intercepting proxy: its path, passed to the build
# as the secret cacerts (never stored in a layer); empty: none
variable "VITRINE_BUILD_CACERTS" {
  default = ""
}

group "default" {
  targets = ["web", "worker"]
}

group "all" {
  targets = ["web", "worker", "monitor", "distroless", "test"]
}

function "image" {
  params = [name]
  result = ["${REGISTRY == "" ? "localhost/vitrine" : REGISTRY}/${name}:${TAG}"]
}

function "cache_from" {
  params = [name]
  result = compact([
    CACHE_TYPE == "" ? "" : "type=${CACHE_TYPE},scope=vitrine-${name}",
    REGISTRY == "" ? "" : "type=registry,ref=${REGISTRY}/cache:${name}",
  ])
}

function "cache_to" {
  params = [name]
  result = compact([
    CACHE_TYPE == "" ? "" : "type=${CACHE_TYPE},scope=vitrine-${name},mode=max",
    REGISTRY == "" ? "" : "type=registry,ref=${REGISTRY}/cache:${name},mode=max",
  ])
}

target "_common" {
  context    = "."
  dockerfile = "Dockerfile"
  platforms  = PLATFORMS == "" ? [] : split(",", PLATFORMS)
  secret     = VITRINE_BUILD_CACERTS == "" ? [] : ["id=cacerts,src=${VITRINE_BUILD_CACERTS}"]
  args = {
    VERSION  = VERSION
    REVISION = REVISION
    CREATED  = CREATED
    SOURCE   = SOURCE
  }
}

# the four images: one target each, same settings
target "image" {
  name       = tgt
  matrix     = { tgt = ["web", "worker", "monitor", "distroless"] }
  inherits   = ["_common"]
  target     = tgt
  tags       = image(tgt)
  cache-from = cache_from(tgt)
  cache-to   = cache_to(tgt)
}

# the test suite in a container; nothing to push, so it only fills and reads the cache
target "test" {
  inherits   = ["_common"]
  target     = "test"
  platforms  = PLATFORMS == "" ? [] : ["linux/amd64"]
  output     = ["type=cacheonly"]
  cache-from = cache_from("test")
  cache-to   = cache_to("test")
}
