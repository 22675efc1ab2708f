#!/bin/sh
# Every step of the Maven build inside the image: Debian's Maven with the optional
# `cacerts` build secret as its truststore (see the Dockerfile).
set -e
if [ -s /run/secrets/cacerts ]; then
  MAVEN_OPTS="${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=/run/secrets/cacerts"
fi
# Debian's Maven 3.9 still uses sun.misc.Unsafe through Guava; JDK 25 warns on every run.
# Maven's JVM lives for one build: C1 alone (no C2) makes the image's Maven build ~30%
# sooner (bench/maven-build.sh); tests run in forked JVMs with their own flags.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1"
# The SBOM (pom.xml) comes from the host build (.ci/run, the test workflow), not the image's.
exec mvn -B -ntp -Dcyclonedx.skip=true "$@"
