"""Seed the learning themes: the NSPCC case review briefing topics (docs/domain.md).
The list stays editable in the admin."""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    "Adolescents and young people",
    "Babies and infants, including bruising in non-mobile babies",
    "Child criminal exploitation and county lines",
    "Child sexual abuse and exploitation",
    "Children with disabilities",
    "Culture and faith",
    "Domestic abuse",
    "Education and schools",
    "Fabricated or induced illness",
    "Home education",
    "Housing and homelessness",
    "Information sharing",
    "Looked-after children",
    "Male carers (“hidden men”)",
    "Multi-agency working",
    "Neglect",
    "Online abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Physical abuse",
    "Professional curiosity and challenge",
    "Race and ethnicity",
    "Self-harm and suicide",
    "Sudden unexpected death in infancy (SUDI)",
    "Trafficking",
    "Unborn children and pre-birth assessment",
    "Voice of the child",
    "Young carers",
]


def seed(apps, schema_editor):
    LearningTheme = apps.get_model("publication", "LearningTheme")
    for name in THEMES:
        LearningTheme.objects.get_or_create(slug=slugify(name)[:120], defaults={"name": name})


def unseed(apps, schema_editor):
    LearningTheme = apps.get_model("publication", "LearningTheme")
    LearningTheme.objects.filter(slug__in=[slugify(name)[:120] for name in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
