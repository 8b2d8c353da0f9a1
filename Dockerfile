FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The Python packages exactly as uv.lock pins them, the runtime ones only (not the dev
# extra), their hashes checked, compiled to .pyc once here (PYTHONDONTWRITEBYTECODE
# would otherwise have every process compile them). uv (pinned, as in the Makefile) is
# used and removed.
# A layer of its own: rebuilt only when the lock file or pyproject.toml changes.
ARG UV_VERSION=0.13.9
COPY pyproject.toml uv.lock /app/
RUN pip install --no-cache-dir uv==${UV_VERSION} \
 && uv export --quiet --frozen --no-emit-project --format requirements.txt -o /tmp/requirements.txt \
 && uv pip install --system --no-cache --require-hashes --compile-bytecode -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt \
 && pip uninstall --yes uv
COPY . /app
# Static files collected, compressed and hashed (WhiteNoise's manifest) with the
# production settings, DEBUG off. The step needs some secret key and signs nothing with
# it: a "build-only-" key, which the settings accept only while DJANGO_BUILD_ONLY=1, set
# for this command alone (neither is left in the image). A container started without
# its own SECRET_KEY stops with the development-key error.
# The application's own .pyc files are written here too.
RUN DJANGO_BUILD_ONLY=1 SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput \
 && python -m compileall -q /app \
 && useradd --system --home /app cspr && mkdir -p /var/lib/cspr/uploads && chown cspr /var/lib/cspr/uploads
USER cspr
EXPOSE 8000
CMD ["gunicorn", "cspr.wsgi:application", "--bind", "0.0.0.0:8000"]
