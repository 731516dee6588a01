# Convene's image: `docker build -t convene .` (see deploy/compose.yaml, docs/deployment.md).
# Two stages: the first installs the locked runtime dependencies (requirements.txt, every
# package pinned with its hash) into a virtualenv; the final image copies that virtualenv
# and the code, has no compiler or build tools, and runs as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --require-hashes --only-binary=:all: -r /tmp/requirements.txt
COPY . /src
# Compiled translations are part of the code the server serves.
RUN cd /src && /opt/venv/bin/python -m convene.i18n

FROM python:3.11-slim-bookworm
# WeasyPrint (minutes PDF) needs Pango and HarfBuzz at run time; nothing to build with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin convene \
 && mkdir -p /data && chown convene /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /src /app
WORKDIR /app
USER convene
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 PORT=8000 INSTANCE_PATH=/data ASYNC_MODE=gevent LOG_FORMAT=json
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
CMD ["sh", "-c", "python -m convene db upgrade && exec python -m convene serve"]
