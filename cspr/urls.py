from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import twofactor, views
from .forms import GovukFormMixin


class LoginForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets only the widget's maxlength; enforce it, so that an over-long
        # username is a form error and never reaches authentication (or django-axes'
        # 255-character columns).
        limit = self.fields["username"].max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(limit))
        self.fields["password"].validators.append(MaxLengthValidator(4096))


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length or 150)
        )
        self.fields["password"].validators.append(MaxLengthValidator(4096))


admin.site.login_form = AdminLoginForm


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    pass


# Each pipeline app has ``urls.py`` (pages, at the site root, namespaced by app)
# and ``api_urls.py`` (under /api/v1/, in the "api" namespace).
pages = [path("", include(f"{app}.urls", namespace=app)) for app in settings.PIPELINE_APPS]
api_v1 = [path("", include(f"{app}.api_urls")) for app in settings.PIPELINE_APPS]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", twofactor.setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", twofactor.verify, name="two-factor-verify"),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("audit/export/", views.audit_trail_export, name="audit-trail-export"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    *pages,
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the project's own files (drf-spectacular-sidecar), its start-up
    # script served as a file (the split view) so the CSP needs no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
