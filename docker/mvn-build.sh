#!/bin/sh
# Every step of the Maven build inside the image: Debian's Maven with the optional
# `cacerts` build secret as its truststore (see the Dockerfile).
set -e
if [ -s /run/secrets/cacerts ]; then
  MAVEN_OPTS="${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=/run/secrets/cacerts"
fi
# Debian's Maven 3.9 still uses sun.misc.Unsafe through Guava; JDK 25 warns on every run
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
exec mvn -B -ntp "$@"
