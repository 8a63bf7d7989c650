# chaindock API image. DATABASE_URL selects the database (PostgreSQL in production):
#   docker run -e DATABASE_URL=postgresql+psycopg://user:pass@db:5432/chaindock -p 8000:8000 chaindock
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A Chinese font, so PNG charts show Chinese labels (SVG keeps text as text either way).
RUN apt-get update \
    && apt-get install --no-install-recommends -y fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/chaindock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . \
    && useradd --create-home --uid 10001 chaindock \
    && mkdir -p var && chown chaindock:chaindock var

USER chaindock
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"

# chaindock serve: uvicorn with JSON logs and a graceful stop on SIGTERM (CHAINDOCK_* settings)
CMD ["sh", "-c", "alembic upgrade head && exec chaindock serve --host 0.0.0.0 --port 8000"]
