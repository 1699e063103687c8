# Production image: gunicorn serving Liaison; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/scss static/scss
RUN mkdir -p build/static/css && npm run --silent build:css

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint renders PDFs with Pango; fonts for the documents it renders.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 liaison
WORKDIR /app
COPY pyproject.toml ./
COPY liaison liaison
COPY boards boards
COPY escalation escalation
COPY monitoring monitoring
COPY agreements agreements
RUN pip install .
COPY manage.py ./
COPY templates templates
COPY static static
COPY --from=assets /app/build build
COPY --from=assets /app/node_modules/govuk-frontend/dist/govuk node_modules/govuk-frontend/dist/govuk
COPY --from=assets /app/node_modules/accessible-autocomplete/dist node_modules/accessible-autocomplete/dist
RUN DEBUG=0 SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 EMAIL_HOST=localhost \
    AGREEMENTS_SEAL_CERT_FILE=unused AGREEMENTS_SEAL_KEY_FILE=unused \
    python manage.py collectstatic --noinput
USER liaison
EXPOSE 8000
CMD ["gunicorn", "liaison.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
