FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir . \
 && DEBUG=true python manage.py collectstatic --noinput \
 && useradd --system --home /app cspr && mkdir -p /var/lib/cspr/uploads && chown cspr /var/lib/cspr/uploads
USER cspr
EXPOSE 8000
CMD ["gunicorn", "cspr.wsgi:application", "--bind", "0.0.0.0:8000"]
