"""One gate for writes: Action, Target, Coordinator, Notification, ProgressReport, Practice and
Replication rows are written only by their app's services module, which checks the rules, keeps
the audit trail and the role groups in step. Forms, admin, views, tasks and commands call those functions.

Two checks. A scan of the product code's syntax finds a write (save, delete, update, create,
bulk writes, get_or_create, update_or_create, many-to-many add/remove/set/clear) on one of those
models, its managers, querysets, related managers or instances anywhere else. And, since Django
admin writes from its own code where no scan can see it, each admin page of those models either
refuses the write or hands it to a method of ours (which the scan then reads).

How an instance is recognised (syntax has no types): a variable bound in the same function to the
model, its manager or a queryset of it (x = Target.objects.get(...), for x in ..., x = Target(...)),
to a ModelForm of the model; a name or attribute named after the model (action, target,
progress_report or report, their plurals, my_action...) or after a relation to it (evidence.action,
city.targets, user.notifications, user.coordinator); obj, queryset, instance, self.instance and
super() inside an admin, inline or ModelForm of the model.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin as django_admin
from django.db import models
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]

# Each guarded model and the one module that writes it.
OWNERS = {
    "Action": ("commitments", "commitments/services.py"),
    "Target": ("commitments", "commitments/services.py"),
    "Notification": ("commitments", "commitments/services.py"),
    "Coordinator": ("ambassadors", "ambassadors/services.py"),
    "ProgressReport": ("reports", "reports/services.py"),
    "Practice": ("practices", "practices/services.py"),
    "Replication": ("practices", "practices/services.py"),
    "TransitionPlan": ("funding", "funding/services.py"),
    "Milestone": ("funding", "funding/services.py"),
    "Opportunity": ("funding", "funding/services.py"),
    "Disbursement": ("funding", "funding/services.py"),
    "HazardEvent": ("hazards", "hazards/services.py"),
    "HazardResponse": ("hazards", "hazards/services.py"),
    "PublicPage": ("public", "public/services.py"),
    "ImportJob": ("imports", "imports/services.py"),
    "ApiToken": ("api", "api/services.py"),
    "Invitation": ("invitations", "invitations/services.py"),
    "Handover": ("terms", "terms/services.py"),
    "TermReminder": ("terms", "terms/reminders.py"),
}

# Product code that writes those rows on purpose, outside the services, and why. Each entry
# names the models it may write: anything else it writes is still an offence.
ALLOWED = {
    # The demo loader writes everything through the services, then moves timestamps back so the
    # demo reads like six months of work (queryset UPDATEs of created_at, submitted_at, decided_at).
    # Demo data only: load_demo refuses to run without DEBUG.
    "commitments/demo.py": {"Action", "Notification"},
    # Likewise for the demo's practices and replications: published and started over months.
    "practices/demo.py": {"Practice", "Replication"},
    # And for the demo's transition plans and pipeline: reviewed, moved and disbursed over months.
    "funding/demo.py": {"TransitionPlan", "Milestone", "Opportunity", "Disbursement"},
    # And for the demo's hazard events: each recorded the day after it started.
    "hazards/demo.py": {"HazardEvent"},
}
# Deliberately not listed: the benchmark's seeder (bench/seed/) writes a million generated actions
# with COPY, not the ORM; it lives in bench/, which the scan skips (not product code), and its own
# tests check what it writes.

# Not product code: tools (the benchmark, the operations checks: ops/prod_check.py clears the
# reports of its own throwaway database), browser and load tests, and what is not Python we run.
SKIPPED_DIRS = {
    *(".venv", "var", "docs", "static", "locale", "templates", "node_modules"),
    *("bench", "ops", "e2e", "loadtest"),
}

WRITES = {"save", "delete", "update", "create", "bulk_create", "bulk_update", "update_or_create", "get_or_create"}
RELATION_WRITES = {"add", "remove", "set", "clear"}
ADMIN_WRITES = {"save_model", "delete_model", "delete_queryset", "save_related", "save_formset"}
# Methods whose result is no longer rows of the model (a write on it cannot be one).
NOT_ROWS = {"values", "values_list", "count", "exists", "aggregate", "in_bulk", "explain", "history"}


def product_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if set(parts) & SKIPPED_DIRS or "migrations" in parts or "tests" in parts or path.name == "conftest.py":
            continue
        yield path


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Names:
    """What the scan recognises, built from the models themselves."""

    instance_names: dict  # variable name -> model ("action", "actions", "progress_report", "report")
    relations: dict  # attribute name of a relation that yields the model -> model
    m2m_fields: dict  # model -> names of its many-to-many fields
    reverse_m2m: dict  # attribute name of a reverse many-to-many relation -> model

    @classmethod
    def build(cls):
        instance_names, relations, m2m_fields, reverse_m2m = {}, {}, {}, {}
        for name, (app_label, _owner) in OWNERS.items():
            model = apps.get_model(app_label, name)
            for alias in {snake(name), snake(name).split("_")[-1]}:
                instance_names[alias] = instance_names[f"{alias}s"] = name
            m2m_fields[name] = {field.name for field in model._meta.many_to_many}
            for field in model._meta.get_fields():
                if field.is_relation and not field.auto_created and field.remote_field:
                    accessor = field.remote_field.get_accessor_name()
                    if accessor and not accessor.endswith("+"):
                        relations[accessor] = name
                        if field.many_to_many:
                            reverse_m2m[accessor] = name
            for related in model._meta.related_objects:  # foreign keys to the model: change.action
                relations[related.field.name] = name
        return cls(instance_names, relations, m2m_fields, reverse_m2m)


class ClassModels(ast.NodeVisitor):
    """First pass over every file: the ModelForms of guarded models (by class name), and the
    admin classes registered with admin.site.register(Model, Admin)."""

    def __init__(self):
        self.forms = {}
        self.registered = {}

    def visit_ClassDef(self, node):
        for item in node.body:
            if isinstance(item, ast.ClassDef) and item.name == "Meta":
                model = _assigned_model(item)
                if model:
                    self.forms[node.name] = model
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "register" and len(node.args) == 2:
            model, admin_class = node.args
            if isinstance(model, ast.Name) and model.id in OWNERS and isinstance(admin_class, ast.Name):
                self.registered[admin_class.id] = model.id
        self.generic_visit(node)


def _assigned_model(class_node):
    for item in class_node.body:
        if (
            isinstance(item, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == "model" for target in item.targets)
            and isinstance(item.value, ast.Name)
            and item.value.id in OWNERS
        ):
            return item.value.id
    return None


class Writes(ast.NodeVisitor):
    def __init__(self, names, classes):
        self.names, self.classes = names, classes
        self.bound = [{}]  # per function: variable -> model
        self.context = [None]  # the guarded model of the enclosing admin / inline / ModelForm
        self.found = []  # (line, model, what)

    # Scopes ---------------------------------------------------------------------------------

    def visit_ClassDef(self, node):
        meta = next((item for item in node.body if isinstance(item, ast.ClassDef) and item.name == "Meta"), None)
        model = (
            self.classes.forms.get(node.name)
            or self.classes.registered.get(node.name)
            or _assigned_model(node)
            or (meta and _assigned_model(meta))
        )
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and _dotted(decorator.func).endswith("register"):
                model = next(
                    (arg.id for arg in decorator.args if isinstance(arg, ast.Name) and arg.id in OWNERS), model
                )
        self.context.append(model)
        self.generic_visit(node)
        self.context.pop()

    def visit_FunctionDef(self, node):
        self.bound.append({})
        self.generic_visit(node)
        self.bound.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node):
        self.generic_visit(node)
        model = self.model_of(node.value)
        for target in node.targets:
            self._bind(target, model, node.value)

    def visit_For(self, node):
        self._bind(node.target, self.model_of(node.iter), node.iter)
        self.generic_visit(node)

    def _bind(self, target, model, value):
        if isinstance(target, ast.Name):
            if model:
                self.bound[-1][target.id] = model
            else:
                self.bound[-1].pop(target.id, None)
        elif isinstance(target, ast.Tuple) and target.elts and model and isinstance(value, ast.Call):
            self._bind(target.elts[0], model, value)  # obj, created = Model.objects.get_or_create(...)

    # Writes ---------------------------------------------------------------------------------

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            model = None
            if func.attr in WRITES:
                model = self.model_of(func.value)
            elif func.attr in RELATION_WRITES and isinstance(func.value, ast.Attribute):
                relation = func.value.attr
                owner = self.model_of(func.value.value)
                if owner and relation in self.names.m2m_fields[owner]:
                    model = owner
                elif relation in self.names.reverse_m2m:
                    model = self.names.reverse_m2m[relation]
            elif func.attr in ADMIN_WRITES and _is_super(func.value):
                model = self.context[-1]
            if model:
                self.found.append((node.lineno, model, ast.unparse(node)[:100]))
        self.generic_visit(node)

    # What a piece of syntax holds -------------------------------------------------------------

    def model_of(self, node):
        names = self.names
        if isinstance(node, ast.Name):
            if node.id in OWNERS:
                return node.id
            if node.id in self.bound[-1]:
                return self.bound[-1][node.id]
            if self.context[-1] and node.id in ("obj", "queryset", "instance"):
                return self.context[-1]
            return _named(node.id, names)
        if isinstance(node, ast.Attribute):
            if node.attr in NOT_ROWS:
                return None
            if node.attr in OWNERS:
                return node.attr  # models.Action
            if node.attr in ("objects", "_default_manager", "_base_manager"):
                return self.model_of(node.value)
            if node.attr == "instance" and self.context[-1]:
                return self.context[-1]
            return names.relations.get(node.attr) or _named(node.attr, names)
        if isinstance(node, ast.Call):
            func = node.func
            if _is_super(node):
                return self.context[-1]
            if isinstance(func, ast.Name):
                return func.id if func.id in OWNERS else self.classes.forms.get(func.id)
            if isinstance(func, ast.Attribute) and func.attr not in NOT_ROWS:
                return self.model_of(func.value)
            return None
        if isinstance(node, ast.Subscript):
            return self.model_of(node.value)
        return None


def _named(name, names):
    """A variable or attribute named after a guarded model: action, draft_action, reports."""
    name = name.lstrip("_")
    for alias, model in names.instance_names.items():
        if name == alias or name.endswith(f"_{alias}"):
            return model
    return None


def _is_super(node):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _dotted(node):
    return ast.unparse(node)


def scan():
    """{path: [(line, model, code)]} of the writes outside their owner and the allow-list."""
    names = Names.build()
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in product_files()}
    classes = ClassModels()
    for tree in trees.values():
        classes.visit(tree)
    offences = {}
    for path, tree in trees.items():
        relative = path.relative_to(ROOT).as_posix()
        finder = Writes(names, classes)
        finder.visit(tree)
        for line, model, code in finder.found:
            if OWNERS[model][1] == relative or model in ALLOWED.get(relative, set()):
                continue
            offences.setdefault(relative, []).append(f"{relative}:{line} writes {model}: {code}")
    return offences


def test_guarded_rows_are_written_only_by_their_services_module():
    offences = scan()
    assert not offences, "Writes outside the services:\n" + "\n".join(
        line for lines in offences.values() for line in lines
    )


def test_every_allowed_file_still_exists_and_still_needs_its_exception():
    """An allow-list entry that no longer matches anything is a gap waiting to be used."""
    names = Names.build()
    classes = ClassModels()
    trees = {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text()) for path in product_files()}
    for tree in trees.values():
        classes.visit(tree)
    for relative, models_allowed in ALLOWED.items():
        assert relative in trees, f"{relative} is allowed but does not exist"
        finder = Writes(names, classes)
        finder.visit(trees[relative])
        written = {model for _line, model, _code in finder.found}
        assert models_allowed <= written, f"{relative} no longer writes {models_allowed - written}: narrow the entry"


# The scan itself is code: it must find what it is meant to find.
SAMPLES = {
    "Target.objects.filter(city=city).update(due_on=day)": "Target",
    "Action.objects.create(title='x')": "Action",
    "target.save()": "Target",
    "draft_action.delete()": "Action",
    "evidence.action.save(update_fields=['title'])": "Action",
    "city.targets.create(indicator=indicator)": "Target",
    "user.notifications.unread().update(read_at=now)": "Notification",
    "Notification.objects.unread().filter(recipient=user).update(read_at=now)": "Notification",
    "coordinator.countries.set(countries)": "Coordinator",
    "country.coordinators.add(coordinator)": "Coordinator",
    "ProgressReport.objects.bulk_create(rows)": "ProgressReport",
    "report.delivered_at = now; report.save(update_fields=['delivered_at'])": "ProgressReport",
    "row, created = Coordinator.objects.get_or_create(user=user)\nrow.save()": "Coordinator",
    "def f():\n    x = Target.objects.get(pk=1)\n    x.delete()": "Target",
    "def f(rows):\n    for x in Action.objects.filter(pk__in=rows):\n        x.save()": "Action",
    "def f(request):\n    form = TargetForm(request.POST)\n    form.save()": "Target",
    "@admin.register(Target)\nclass A(admin.ModelAdmin):\n    def save_model(self, r, obj, f, c):\n"
    "        super().save_model(r, obj, f, c)": "Target",
    "@admin.register(ProgressReport)\nclass A(admin.ModelAdmin):\n    def act(self, r, queryset):\n"
    "        queryset.update(status='x')": "ProgressReport",
    "class F(forms.ModelForm):\n    class Meta:\n        model = Target\n    def save(self):\n"
    "        return super().save()": "Target",
}
INNOCENT = [
    "Action.history.filter(id=1).update(history_user=by)",  # the audit trail's own rows
    "IndicatorValue.objects.filter(action=action).delete()",
    "Action.objects.values_list('pk', flat=True).count()",
    "form = EmailPreferencesForm(data)\nform.save()",
    "targets = []\ntargets.append(1)",
]


@pytest.mark.parametrize(("code", "model"), SAMPLES.items())
def test_the_scan_finds_each_kind_of_write(code, model):
    classes = ClassModels()
    classes.forms["TargetForm"] = "Target"
    finder = Writes(Names.build(), classes)
    finder.visit(ast.parse(code))
    assert {found_model for _line, found_model, _code in finder.found} == {model}


@pytest.mark.parametrize("code", INNOCENT)
def test_the_scan_leaves_other_writes_alone(code):
    finder = Writes(Names.build(), ClassModels())
    finder.visit(ast.parse(code))
    assert finder.found == []


# Admin ------------------------------------------------------------------------------------------


def _ours(method):
    return not method.__module__.startswith(("django.", "simple_history."))


@pytest.mark.django_db
def test_admin_writes_guarded_rows_only_through_methods_of_ours(admin):
    """Django admin saves and deletes from its own code: for each guarded model, each write
    the admin allows must go through a method written here (which the scan reads)."""
    request = RequestFactory().get("/")
    request.user = admin
    guarded = {apps.get_model(app_label, name) for name, (app_label, _owner) in OWNERS.items()}
    offences = []
    for model, model_admin in django_admin.site._registry.items():
        checks = []
        if model in guarded:
            allowed_add = model_admin.has_add_permission(request)
            allowed_change = model_admin.has_change_permission(request)
            if allowed_add or allowed_change:
                # save_related writes the many-to-many values (form.save_m2m), if the model has any.
                checks += ["save_model", *(["save_related"] if model._meta.many_to_many else [])]
            if model_admin.has_delete_permission(request):
                checks += ["delete_model", "delete_queryset"]
        for inline_class in model_admin.inlines:
            inline = inline_class(model, django_admin.site)
            if inline.model in guarded and (
                inline.has_add_permission(request, None)
                or inline.has_change_permission(request)
                or inline.has_delete_permission(request)
            ):
                checks.append("save_formset")
        offences += [
            f"{type(model_admin).__name__}.{name} (Django's own) writes {model._meta.object_name}"
            for name in checks
            if not _ours(getattr(type(model_admin), name))
        ]
    assert not offences, "\n".join(offences)


def test_the_guarded_models_are_the_ones_named():
    for name, (app_label, owner) in OWNERS.items():
        assert issubclass(apps.get_model(app_label, name), models.Model)
        assert (ROOT / owner).exists()
