# syntax=docker/dockerfile:1
# circuitgrad as one stateless image: docker build -t circuitgrad . && docker run -p 8000:8000 circuitgrad
# tests/deploy/ replays this recipe without a Docker engine: keep its RUN lines plain shell.

# ---- page: the page's third-party code, from the npm registry through the lock file ----------
FROM node:20.19.5-bookworm-slim AS page
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
COPY frontend/scripts/ scripts/
RUN npm ci --no-audit --no-fund && npm run vendor

# ---- wheel: the Python package with the page and its vendored assets as package data -----------
FROM python:3.11.14-slim-bookworm AS wheel
WORKDIR /build
COPY pyproject.toml README.md hatch_build.py ./
COPY backend/ backend/
COPY frontend/index.html frontend/
COPY frontend/css/ frontend/css/
COPY frontend/js/ frontend/js/
COPY --from=page /build/frontend/vendor/ frontend/vendor/
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir dist .

# ---- runtime: slim Python, Debian's Graphviz, the wheel; no source tree, no compilers ----------
FROM python:3.11.14-slim-bookworm AS runtime

# Graphviz's `dot` renders the SVG/PNG exports; tini is the init process (PID 1), which reaps
# whatever process ends up orphaned so none stays a zombie. Debian's versions are left to the
# base image's point release: pinning them breaks the build whenever Debian ships an update.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz tini \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    XDG_CACHE_HOME=/tmp/.cache \
    WEB_CONCURRENCY=1

# The wheel comes in through a bind mount, so it leaves no layer behind.
RUN --mount=type=bind,from=wheel,source=/build/dist,target=/tmp/dist \
    python -m pip install --no-cache-dir --root-user-action=ignore /tmp/dist/circuitgrad-*.whl

# A fixed numeric id, so that Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 circuitgrad \
    && useradd --system --uid 10001 --gid circuitgrad --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin circuitgrad

# An empty working directory owned by root: the app writes nothing but /tmp.
WORKDIR /srv/circuitgrad
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Exec form: tini is PID 1, passes SIGTERM on to the server (which finishes in-flight requests
# and exits 0) and reaps orphans. Worker processes: $WEB_CONCURRENCY (`circuitgrad serve`
# reads it when --workers is not given).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["circuitgrad", "serve", "--host", "0.0.0.0", "--port", "8000"]
