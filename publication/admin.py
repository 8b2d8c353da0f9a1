from django.contrib import admin

from .models import LearningTheme


@admin.register(LearningTheme)
class LearningThemeAdmin(admin.ModelAdmin):
    """The learning themes list is editable here."""

    list_display = ["name", "slug", "active"]
    list_editable = ["active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
