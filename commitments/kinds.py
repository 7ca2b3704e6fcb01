"""The details an action's kind adds to it, owned by the apps that know that kind.

commitments knows the kinds (models.ActionKind) but not their details: a training's sessions
are `kinds/`'s, a hazard response's events `hazards/`'s. Each of those apps registers, in its
AppConfig.ready(), one section per kind it owns. The action's form, page and services ask this
registry, so every kind keeps the one workflow, evidence and history of the action log, and this
app imports none of the apps above it.

A section is an object with:

- `kind`: the ActionKind it details;
- `form(data, *, action, city, action_form)`: the form of its details (bound when data is given);
  `action_form` is the action's own form, validated first, so the details can be checked against
  the action's dates and people. Its base is commitments.forms.KindDetailsForm: it has
  `section_template` (drawn inside the action's form), `legend`, `is_valid()`, `has_errors()`,
  `details()` (what `save` writes) and `keep_typed()`: show what was typed without checking it
  (the section of a kind not chosen);
- `save(*, action, form, by, at)`: write the details from a valid form (in the action's
  transaction);
- `discard(*, action, by, at)`: remove the action's details of this kind (it changed kind);
- `submission_errors(action)`: {field: [message]} that block sending the action for review;
- `detail_template`: drawn on the action's page with `action` and `details`;
- `details_of(action)`: the action's details of this kind, or None;
- `prefetch`: lookups the action's page prefetches for the details (only for its own kind);
- `timeline_changes(action)` (optional): the history of the action's details of this kind, told
  for the action's timeline: (at, user, order, sentence) per thing changed, `order` being
  commitments.timeline.DETAILS (or DETAILS_GONE for the details removed). A change written at the
  moment and by the person of the action's own change joins its entry. The timeline asks the
  section of every kind the action has had, so a few queries each, however long the history;
  commitments.timeline's helpers (details_changes, field_sentences, value_text, related_names)
  diff the history rows and quote their values.
"""

from .models import ActionKind

SECTIONS = {}


def register(section):
    SECTIONS[section.kind] = section


def section_for(kind):
    """The section of a kind, or None (general, or a kind whose app is not installed)."""
    return SECTIONS.get(kind)


def kinds_for(commitment, current=None):
    """The kinds an action of `commitment` may take: those it offers, and the action's `current`
    kind even when admins no longer offer it (its details stay editable, never stranded)."""
    offered = commitment.offered_kinds
    return offered if current is None or current in offered else [*offered, ActionKind(current)]


def sections_for(commitment, current=None):
    """The sections of kinds_for(commitment, current), in that order."""
    return [SECTIONS[kind] for kind in kinds_for(commitment, current) if kind in SECTIONS]
