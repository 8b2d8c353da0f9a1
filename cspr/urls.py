from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import apitokens, twofactor, views
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
        # No autofocus: it moves past the skip link and the page's heading and text.
        self.fields["username"].widget.attrs.pop("autofocus", None)


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


#: The deadlines and messaging pages keep the URL names they had when they were part
#: of the notifications app ("notifications:dashboard"), so that no name changed when
#: they became apps of their own.
URL_NAMESPACES = {"deadlines": "notifications", "messaging": "notifications"}


def _app_urls(module: str) -> list:
    """Each app's page routes (``urls.py``, at the site root, one namespace per app,
    see URL_NAMESPACES) and API routes (``api_urls.py``, under /api/v1/ in "api")."""
    apps = [app for app in settings.PROJECT_APPS if find_spec(f"{app}.{module}") is not None]
    if module == "api_urls":
        return [path("", include(f"{app}.api_urls")) for app in apps]
    namespaces: dict[str, list[str]] = {}
    for app in apps:
        namespaces.setdefault(URL_NAMESPACES.get(app, app), []).append(app)
    return [
        path("", include(f"{members[0]}.urls", namespace=namespace))
        if members == [namespace]
        else path("", include(([path("", include(f"{app}.urls")) for app in members], namespace)))
        for namespace, members in namespaces.items()
    ]


pages = _app_urls("urls")
api_v1 = _app_urls("api_urls")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
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
    # Not under /accounts/two-factor/: that prefix is open to a session that owes a code.
    path(
        "partnerships/<int:partnership_pk>/two-factor/",
        twofactor.referrers_policy,
        name="two-factor-referrers",
    ),
    path("api-tokens/", apitokens.token_list, name="api-tokens"),
    path("api-tokens/revoke/", apitokens.token_revoke, name="api-tokens-revoke"),
    path(
        "partnerships/<int:partnership_pk>/api-tokens/",
        apitokens.member_token_list,
        name="api-tokens-members",
    ),
    path(
        "partnerships/<int:partnership_pk>/api-tokens/revoke/",
        apitokens.member_token_revoke,
        name="api-tokens-members-revoke",
    ),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("audit/export/", views.audit_trail_export, name="audit-trail-export"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    *pages,
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the project's own files (drf-spectacular-sidecar), its start-up
    # script served as a file (the split view) so the CSP needs no inline script. For
    # signed-in users only: the public pages neither show nor link to it.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")
        ),
        name="api-docs",
    ),
]
