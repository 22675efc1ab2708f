# Builds Vitrine's images from the one Dockerfile with `docker buildx bake`. Name this file:
# without -f, bake also reads compose.yaml, which needs a .env.
#   docker buildx bake -f docker-bake.hcl            # web and worker (group "default")
#   docker buildx bake -f docker-bake.hcl all        # every image, and the test stage
#   REGISTRY=registry.example.org/me TAG=$(git rev-parse HEAD) docker buildx bake -f docker-bake.hcl --push
# Each target keeps its own cache scope (type=gha in CI) and reads and writes a registry
# cache next to the images, so a runner without local cache still reuses layers.

variable "REGISTRY" {
  default = "localhost/vitrine"
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

# comma list; the images are built for both unless a single platform is asked for
variable "PLATFORMS" {
  default = "linux/amd64,linux/arm64"
}

# "gha" on GitHub Actions, "local" for a directory cache, "" for none
variable "CACHE_TYPE" {
  default = "gha"
}

group "default" {
  targets = ["web", "worker"]
}

group "all" {
  targets = ["web", "worker", "monitor", "distroless", "test"]
}

function "image" {
  params = [name]
  result = ["${REGISTRY}/${name}:${TAG}"]
}

function "cache_from" {
  params = [name]
  result = compact([
    CACHE_TYPE == "" ? "" : "type=${CACHE_TYPE},scope=vitrine-${name}",
    "type=registry,ref=${REGISTRY}/cache:${name}",
  ])
}

function "cache_to" {
  params = [name]
  result = compact([
    CACHE_TYPE == "" ? "" : "type=${CACHE_TYPE},scope=vitrine-${name},mode=max",
    "type=registry,ref=${REGISTRY}/cache:${name},mode=max",
  ])
}

target "_common" {
  context    = "."
  dockerfile = "Dockerfile"
  platforms  = split(",", PLATFORMS)
  secret     = ["id=cacerts,env=VITRINE_BUILD_CACERTS"]
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
  platforms  = ["linux/amd64"]
  output     = ["type=cacheonly"]
  cache-from = cache_from("test")
  cache-to   = cache_to("test")
}
