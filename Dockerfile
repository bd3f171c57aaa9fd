# syntax=docker/dockerfile:1
# Foresight operator image.
#   docker build -t foresight:0.1.0 .
#   docker run --rm foresight:0.1.0 --help          # the entrypoint is `foresight operator`
# Build stage: Debian bookworm with the project's own dependency script, then a Release build
# of the `foresight` binary only. Runtime stage: bookworm-slim with just the shared libraries
# that binary links (found with ldd in the build stage), run as a non-root user.

FROM debian:bookworm AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Dependencies first, so that source changes do not re-install packages.
COPY scripts/bootstrap scripts/bootstrap
RUN scripts/bootstrap --no-build && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORESIGHT_BUILD_TESTS=OFF \
 && cmake --build build --target foresight \
 && strip build/foresight \
 && build/foresight --help >/dev/null
# The Debian packages that own the libraries the binary links, one per line.
RUN set -eu; \
    if ldd build/foresight | grep -q 'not found'; then ldd build/foresight; exit 1; fi; \
    for lib in $(ldd build/foresight | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do \
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"; \
    done | cut -d: -f1 | sort -u > /runtime-packages; \
    cat /runtime-packages; test -s /runtime-packages

FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /runtime-packages /tmp/runtime-packages
RUN apt-get update \
 && xargs -a /tmp/runtime-packages apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages \
 && groupadd --system --gid 65532 foresight \
 && useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin foresight
COPY --from=build /src/build/foresight /usr/local/bin/foresight
# Fails the build if a library is missing from the runtime image.
RUN if ldd /usr/local/bin/foresight | grep 'not found'; then exit 1; fi \
 && /usr/local/bin/foresight --help >/dev/null
# Numeric, so that the pod's runAsNonRoot can check it.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/foresight", "operator"]
