"""Who may open, and post to, every URL of the project: an access matrix of roles by URLs.

Every URL pattern is found by walking the resolver (admin, i18n and accounts included) and
must have a row in MATRIX below; a row that names no pattern any more is stale. Each URL is
opened with real arguments (Lima's objects) by the six members of the cast, with GET and with
POST, and the outcome is compared with its row. A request that is refused must leave the
database exactly as it was.

To add a URL: one line in MATRIX, plus its arguments in ARGS if it takes any (and a body in
POST_BODIES when a POST needs one to mean something). A new ModelAdmin needs nothing more: its
URLs follow the {app}/{model} rows, on an object of its model found or made for the test.
"""

import copy
import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.forms import MultiWidget
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ambassadors import services as ambassador_services
from ambassadors.models import AMBASSADORS_GROUP, Ambassador, Coordinator
from ambassadors.tests.factories import CityFactory, CountryFactory, UserFactory
from api.tests.factories import ApiTokenFactory
from appointments.models import AppointmentLetter
from commitments import services as commitment_services
from commitments.models import Action, ExchangeRate, Indicator
from commitments.sample_files import pdf_bytes, upload
from commitments.tests.factories import ActionFactory
from config.tests.fingerprint import changed_tables, fingerprint
from config.tests.project import (
    lima_hazards,
    lima_left_behind,
    lima_pipeline,
    lima_plans,
    lima_public,
    lima_work,
    url_patterns,
)
from conftest import PASSWORD
from core.models import EmailPreferences, OutgoingEmail
from imports.tests.factories import ImportJobFactory
from invitations import services as invitation_services
from invitations.links import token_for
from kinds.tests.factories import ParticipationFactory, PolicyFactory, TrainingFactory
from practices import services as practice_services
from practices.tests.factories import ExchangeFactory, PracticeFactory
from reports.content import build_snapshot
from reports.models import Digest, ProgressReport
from reports.periods import Period
from terms.models import Handover, TermReminder

TODAY = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)

ROLES = ("anonymous", "ambassador", "other_ambassador", "coordinator", "coordinator_elsewhere", "admin")

# One row per URL: the outcome for each role, GET on the left, POST on the right.
#
#   OK     allowed: GET answers 2xx; POST answers 2xx, or redirects elsewhere than a login page
#   REDIR  a redirect elsewhere than a login page (a landing page, a shortcut), or to the login page
#          without a next URL (the second factor's code step with no password given)
#   NOOP   answered like OK, but the database must not change (a write the view refuses quietly)
#   LOGIN  a redirect to /accounts/login/?next=<the URL> (/admin/login/?next=… for admin URLs)
#   400, 401, 403, 404, 405  that status (the REST API: 400 refuses a city out of scope named in the
#                  body, 401 asks for credentials instead of redirecting to the login page)
#
# A request (GET or POST) expected to be LOGIN, 400, 401, 403, 404, 405 or NOOP must leave the database as it was.
# Roles: anon = anonymous, amb = Alicia (ambassador of Lima), other = Bruno (ambassador of Rosario),
# coord = Carla (coordinates Peru, so Lima), c.out = Diego (coordinates Mexico only), admin = superuser.
# Arguments are Lima's: the URLs of actions, evidence, targets and reports name objects of Lima.
#
# Admin rows with {app} and {model} stand for every registered ModelAdmin; a row naming one
# model's URL overrides them. A name starting with "?" is a pattern that may not exist yet: it
# is checked when it exists and never reported as stale.
MATRIX = """
#                                         ----------------GET----------------   ----------------POST---------------
# URL name                                anon  amb   other coord c.out admin   anon  amb   other coord c.out admin
home                                    | OK    OK    OK    OK    OK    OK    | OK    OK    OK    OK    OK    OK
healthz                                 | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
# the matrix's clients come from 127.0.0.1 without a proxy, where Prometheus scrapes: open to all of them
# (who else may read it, whatever their role, is health/tests/test_metrics.py's)
metrics                                 | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
# offline/: the service worker and the web app manifest, at the site's root
offline:service_worker                  | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
offline:manifest                        | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
set_language                            | REDIR REDIR REDIR REDIR REDIR REDIR | OK    OK    OK    OK    OK    OK
# accounts/
login                                   | OK    OK    OK    OK    OK    OK    | OK    OK    OK    OK    OK    OK
logout                                  | 405   405   405   405   405   405   | OK    OK    OK    OK    OK    OK
password_change                         | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
password_change_done                    | LOGIN OK    OK    OK    OK    OK    | LOGIN 405   405   405   405   405
password_reset                          | OK    OK    OK    OK    OK    OK    | OK    OK    OK    OK    OK    OK
password_reset_done                     | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
password_reset_confirm                  | REDIR REDIR REDIR REDIR REDIR REDIR | REDIR REDIR REDIR REDIR REDIR REDIR
password_reset_complete                 | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
# the second factor (ambassadors/twofactor.py): the code step without a pending sign-in sends back to the
# login (or, logged in already, on); the cast's test sessions have passed it (conftest.py) and have no app
login_code                              | REDIR REDIR REDIR REDIR REDIR REDIR | REDIR REDIR REDIR REDIR REDIR REDIR
twofactor                               | LOGIN OK    OK    OK    OK    OK    | LOGIN 405   405   405   405   405
twofactor_setup                         | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
twofactor_recovery_codes                | LOGIN 405   405   405   405   405   | LOGIN OK    OK    OK    OK    OK
twofactor_remove                        | LOGIN 405   405   405   405   405   | LOGIN OK    OK    403   403   403
# ambassadors
ambassadors:landing                     | LOGIN REDIR REDIR REDIR REDIR REDIR | LOGIN REDIR REDIR REDIR REDIR REDIR
ambassadors:cities                      | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
ambassadors:city                        | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
# commitments: the draft of Lima (its evidence), a submitted action of Lima, a target of Lima
commitments:actions                     | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
commitments:action_choose               | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
commitments:action_create               | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
commitments:action                      | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
commitments:action_edit                 | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
commitments:action_submit               | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
commitments:action_withdraw             | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
commitments:action_delete               | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
commitments:action_review               | LOGIN 405   405   405   405   405   | LOGIN 403   404   OK    404   OK
commitments:review_queue                | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    NOOP  OK
commitments:notifications               | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
commitments:evidence_upload             | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
commitments:evidence_download           | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
commitments:evidence_delete             | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
reports:my_city                     | LOGIN REDIR REDIR REDIR REDIR REDIR | LOGIN REDIR REDIR REDIR REDIR REDIR
reports:city_progress               | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
commitments:target_create               | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
commitments:target_edit                 | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
# appointments: the acceptance page (Alicia and Bruno have accepted; the others have no appointment and go
# on), each ambassador's own letter, Alicia's letter by her appointment, the public verification of its code
appointments:accept                     | LOGIN OK    OK    REDIR REDIR REDIR | LOGIN REDIR REDIR REDIR REDIR REDIR
appointments:letter                     | LOGIN OK    OK    404   404   404   | LOGIN 405   405   405   405   405
appointments:letter_of                  | LOGIN OK    404   OK    404   OK    | LOGIN 405   405   405   405   405
appointments:verify_form                | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
appointments:verify                     | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
# terms: Alicia's appointment in Lima (renew; succeeded by Sara, who holds no post), and a draft Lima's
# former ambassador left (taken over by Alicia, in office in Lima, or by those who review Lima; discarded)
terms:terms                             | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    OK    OK
terms:term                              | LOGIN 404   404   OK    404   OK    | LOGIN 404   404   OK    404   OK
terms:renew                             | LOGIN 405   405   405   405   405   | LOGIN 404   404   OK    404   OK
terms:successor                         | LOGIN 405   405   405   405   405   | LOGIN 404   404   OK    404   OK
terms:left_behind                       | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
terms:take_over                         | LOGIN 405   405   405   405   405   | LOGIN OK    404   OK    404   OK
terms:discard                           | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
# practices: Lima's draft (edit, submit), its submitted one sharing one of its two files (the page, review,
# files: the other file is never served), its published one (feature, replicate) that Rosario replicates
practices:list                          | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
practices:follow                        | LOGIN 405   405   405   405   405   | LOGIN OK    OK    OK    OK    OK
practices:practice                      | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
practices:feature                       | LOGIN 405   405   405   405   405   | LOGIN 403   403   OK    403   OK
practices:evidence                      | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
practices:create                        | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
practices:edit                          | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
practices:submit                        | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
practices:review                        | LOGIN 405   405   405   405   405   | LOGIN 403   404   OK    404   OK
practices:replicate                     | LOGIN 405   405   405   405   405   | LOGIN NOOP  NOOP  403   403   403
practices:replication                   | LOGIN OK    OK    OK    OK    OK    | LOGIN 403   OK    403   403   403
practices:replication_unlink            | LOGIN 405   405   405   405   405   | LOGIN 403   OK    403   403   403
# funding: Lima's pipeline: its identified opportunity (edit, move), its awarded one (page, money received, its file)
funding:index                           | LOGIN REDIR REDIR OK    OK    OK    | LOGIN REDIR REDIR OK    OK    OK
funding:board                           | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
funding:board_stage                     | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
funding:opportunity_create              | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
funding:opportunity                     | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
funding:opportunity_edit                | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
funding:opportunity_move                | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:disbursement_add                | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:disbursement_remove             | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:opportunity_document_add        | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:document                        | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
funding:document_remove                 | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
# funding plans: Lima's version 1 in force (its page, revise, a milestone's progress), its version 2 a draft
# (edit, milestones, submit, documents); Cusco's plan (Peru, not Lima) waiting for review
funding:my_plan                         | LOGIN REDIR REDIR REDIR REDIR REDIR | LOGIN REDIR REDIR REDIR REDIR REDIR
funding:plan_start                      | LOGIN REDIR OK    403   403   403   | LOGIN REDIR OK    403   403   403
funding:city_plan                       | LOGIN REDIR 404   REDIR 404   REDIR | LOGIN REDIR 404   REDIR 404   REDIR
funding:plan                            | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
funding:plan_edit                       | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
funding:milestone_create                | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
funding:milestone_edit                  | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
funding:milestone_remove                | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:milestone_status                | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:plan_submit                     | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
funding:plan_review                     | LOGIN 405   405   405   405   405   | LOGIN 404   404   OK    404   OK
funding:plan_revise                     | LOGIN 405   405   405   405   405   | LOGIN NOOP  404   403   404   403
funding:plan_document_add               | LOGIN 405   405   405   405   405   | LOGIN OK    404   403   404   403
# hazards: Lima's flood (its page, its correction); only an ambassador in office records an event
hazards:events                          | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
hazards:event_create                    | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
hazards:event                           | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
hazards:event_edit                      | LOGIN OK    404   403   404   403   | LOGIN OK    404   403   404   403
# exchanges: an exchange Alicia recorded
exchanges:list                          | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
exchanges:create                        | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
exchanges:exchange                      | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
exchanges:edit                          | LOGIN OK    403   403   403   OK    | LOGIN OK    403   403   403   OK
# invitations: Carla's pending invitation of a new ambassador for Callao (Peru), and its link (any visitor may open it;
# only a visitor without a session and with the form filled in accepts it)
invitations:list                        | LOGIN 403   403   OK    OK    OK    | LOGIN 405   405   405   405   405
invitations:create                      | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    NOOP  OK
invitations:resend                      | LOGIN 405   405   405   405   405   | LOGIN 403   403   OK    404   OK
invitations:revoke                      | LOGIN 405   405   405   405   405   | LOGIN 403   403   OK    404   OK
invitations:accept                      | OK    OK    OK    OK    OK    OK    | NOOP  NOOP  NOOP  NOOP  NOOP  NOOP
# public pages: Lima's page, published; Cusco's (Peru) asked for and waiting; Rosario's never asked for
public:network                          | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
public:city                             | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
public:request                          | LOGIN OK    OK    403   403   403   | LOGIN NOOP  OK    403   403   403
public:requests                         | LOGIN 403   403   OK    OK    OK    | LOGIN 405   405   405   405   405
public:decide                           | LOGIN 405   405   405   405   405   | LOGIN 404   404   OK    404   OK
# reports: a ready monthly report of Lima
reports:overview                        | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    OK    OK
reports:cities                          | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    OK    OK
reports:review_times                    | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    OK    OK
reports:reports                         | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    NOOP  OK    NOOP  OK
reports:scope_report_request            | LOGIN 403   403   OK    OK    OK    | LOGIN 403   403   OK    NOOP  OK
reports:report                          | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
reports:report_status                   | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
reports:report_retry                    | LOGIN 405   405   405   405   405   | LOGIN OK    404   OK    404   OK
reports:report_download                 | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
reports:email_preferences               | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
# imports: Alicia's import of Lima's actions (a job is its owner's alone); exports of Lima
imports:index                           | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
imports:upload                          | LOGIN OK    OK    403   403   403   | LOGIN OK    OK    403   403   403
imports:export                          | LOGIN OK    404   OK    404   OK    | LOGIN OK    404   OK    404   OK
imports:job                             | LOGIN OK    404   404   404   404   | LOGIN OK    404   404   404   404
imports:job_status                      | LOGIN OK    404   404   404   404   | LOGIN OK    404   404   404   404
imports:job_apply                       | LOGIN 405   405   405   405   405   | LOGIN OK    404   404   404   404
imports:job_cancel                      | LOGIN 405   405   405   405   405   | LOGIN OK    404   404   404   404
# the REST API (/api/): 401 without credentials (not a login redirect); Lima's draft, submitted action, target,
# report, draft practice, plan in force, identified opportunity; Alicia's token (revoke); a new target of Lima
api:api-root                            | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:schema                              | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
api:docs                                | OK    OK    OK    OK    OK    OK    | 405   405   405   405   405   405
api:tokens                              | LOGIN OK    OK    OK    OK    OK    | LOGIN OK    OK    OK    OK    OK
api:token_revoke                        | LOGIN 405   405   405   405   405   | LOGIN OK    404   404   404   404
api:axis-list                           | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:axis-detail                         | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:commitment-list                     | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:commitment-detail                   | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:indicator-list                      | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:indicator-detail                    | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:city-list                           | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:city-detail                         | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:action-list                         | 401   OK    OK    OK    OK    OK    | 401   OK    OK    403   403   403
api:action-detail                       | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:action-submit                       | 401   405   405   405   405   405   | 401   OK    404   403   404   403
api:action-approve                      | 401   405   405   405   405   405   | 401   403   404   OK    404   OK
api:action-return                       | 401   405   405   405   405   405   | 401   403   404   OK    404   OK
api:target-list                         | 401   OK    OK    OK    OK    OK    | 401   OK    400   OK    400   OK
api:target-detail                       | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:report-list                         | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:report-detail                       | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:practice-list                       | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:practice-detail                     | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:plan-list                           | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:plan-detail                         | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
api:opportunity-list                    | 401   OK    OK    OK    OK    OK    | 401   405   405   405   405   405
api:opportunity-detail                  | 401   OK    404   OK    404   OK    | 401   405   405   405   405   405
# admin site: only the superuser is staff
admin:index                             | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:login                             | REDIR REDIR REDIR REDIR REDIR REDIR | REDIR REDIR REDIR REDIR REDIR REDIR
admin:logout                            | REDIR REDIR REDIR REDIR REDIR 405   | REDIR REDIR REDIR REDIR REDIR OK
admin:password_change                   | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:password_change_done              | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 405
admin:autocomplete                      | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 405
admin:jsi18n                            | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 405
admin:view_on_site                      | LOGIN LOGIN LOGIN LOGIN LOGIN 404   | LOGIN LOGIN LOGIN LOGIN LOGIN 404
admin:app_list                          | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin/(?P<url>.*)$                      | LOGIN LOGIN LOGIN LOGIN LOGIN 404   | LOGIN LOGIN LOGIN LOGIN LOGIN 404
# every registered ModelAdmin, on a real object of its model
admin:{app}_{model}_changelist          | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:{app}_{model}_add                 | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:{app}_{model}_history             | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:{app}_{model}_delete              | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin:{app}_{model}_change              | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
admin/{app}/{model}/<path:object_id>/   | LOGIN LOGIN LOGIN LOGIN LOGIN REDIR | LOGIN LOGIN LOGIN LOGIN LOGIN REDIR
admin:{app}_{model}_password_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN OK
# django-simple-history: a version may be read; reverting to it is off (SIMPLE_HISTORY_REVERT_DISABLED)
admin:{app}_{model}_simple_history      | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
# models whose admin is read-only or refuses some writes
# django-otp's TOTP device secrets and QR codes: hidden even from admins (OTP_ADMIN_HIDE_SENSITIVE_DATA)
admin:otp_totp_totpdevice_config        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:otp_totp_totpdevice_qrcode        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:commitments_action_add            | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:commitments_action_change         | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:commitments_action_delete         | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:ambassadors_ambassador_delete     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:reports_progressreport_add        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:reports_progressreport_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:reports_progressreport_delete     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:reports_digest_add                | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:core_outgoingemail_add            | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:core_outgoingemail_change         | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:health_workerheartbeat_add        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:health_workerheartbeat_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:ambassadors_accessattempt_add     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:ambassadors_accessattempt_change  | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_practice_add            | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_practice_change         | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_practice_delete         | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_replication_add         | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_replication_change      | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:practices_replication_delete      | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_transitionplan_add        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_transitionplan_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_transitionplan_delete     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_opportunity_add           | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_opportunity_change        | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:funding_opportunity_delete        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardevent_add           | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardevent_change        | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardevent_delete        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardresponse_add        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardresponse_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:hazards_hazardresponse_delete     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_acceptance_add       | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_acceptance_change    | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_acceptance_delete    | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_appointmentletter_add | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_appointmentletter_change | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:appointments_appointmentletter_delete | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_participationmechanism_add  | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_participationmechanism_change | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_participationmechanism_delete | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_publicpolicy_add            | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_publicpolicy_change         | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_publicpolicy_delete         | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:invitations_invitation_add        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:invitations_invitation_change     | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:invitations_invitation_delete     | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_handover_add               | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_handover_change            | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_handover_delete            | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_termreminder_add           | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_termreminder_change        | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:terms_termreminder_delete        | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_training_add                | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_training_change             | LOGIN LOGIN LOGIN LOGIN LOGIN OK    | LOGIN LOGIN LOGIN LOGIN LOGIN 403
admin:kinds_training_delete             | LOGIN LOGIN LOGIN LOGIN LOGIN 403   | LOGIN LOGIN LOGIN LOGIN LOGIN 403
"""

CODES = {"OK", "REDIR", "NOOP", "LOGIN", "400", "401", "403", "404", "405"}
# Outcomes after which the database must be exactly as before the request.
UNCHANGED = {"NOOP", "LOGIN", "400", "401", "403", "404", "405"}


@dataclass(frozen=True)
class Row:
    name: str
    get: dict
    post: dict
    optional: bool

    @property
    def is_template(self):
        return "{app}" in self.name or "{model}" in self.name


def parse_matrix(text):
    rows = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, get, post = (part.strip() for part in line.split("|"))
        get, post = get.split(), post.split()
        assert len(get) == len(post) == len(ROLES), f"MATRIX line {number}: six GET and six POST outcomes"
        assert set(get) | set(post) <= CODES, f"MATRIX line {number}: unknown code in {get + post}"
        optional = name.startswith("?")
        name = name.removeprefix("?")
        assert name not in rows, f"MATRIX line {number}: {name} is listed twice"
        rows[name] = Row(name, dict(zip(ROLES, get, strict=True)), dict(zip(ROLES, post, strict=True)), optional)
    return rows


ROWS = parse_matrix(MATRIX)


# The URL patterns -----------------------------------------------------------------------------


PATTERNS = url_patterns()


def expanded_rows():
    """MATRIX with its {app}/{model} rows written out for every registered ModelAdmin."""
    rows = {name: row for name, row in ROWS.items() if not row.is_template}
    for row in ROWS.values():
        if row.is_template:
            for model in django_admin.site._registry:
                name = row.name.format(app=model._meta.app_label, model=model._meta.model_name)
                rows.setdefault(name, row)
    return rows


EXPANDED = expanded_rows()


# The world every URL is opened in ------------------------------------------------------------
#
# It is built once for the module, inside a transaction rolled back at the end, and every
# request runs in a savepoint that is rolled back too, with the client's cookies as they were
# after logging in: each request meets the same database and the same session.


@dataclass
class World:
    users: dict  # role -> user (None for anonymous)
    clients: dict  # role -> Client, logged in
    cookies: dict  # role -> the client's cookies right after logging in
    media_root: object
    lima: object
    commitment: object
    draft: object  # Alicia's draft, with one evidence file
    evidence: object
    submitted: object  # Alicia's action waiting for review
    target: object
    report: object  # Lima's ready report of October 2026
    practices: dict  # "draft", "submitted", "published" (of Lima), "shared" and "unshared" files, "link" (Rosario's)
    pipeline: dict  # Lima's "identified" and "awarded" opportunities, a "disbursement", a "document" (lima_pipeline)
    plans: dict  # Lima's plan "in_force" (v1) and "draft" (v2) with a milestone each, Cusco's "submitted" (lima_plans)
    hazards: dict  # Lima's flood "event" and the draft action "response" answering it (lima_hazards)
    admin_objects: dict  # model label -> the object its admin URLs open (see admin_object())
    public: dict = None  # Lima's published page "lima", Cusco's request "cusco" (lima_public)
    invitations: dict = None  # Carla's pending invitation "callao"; "arequipa", a city of Peru nobody is invited to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _cast():
    """The cast of the root conftest.py (same people, cities and scopes), made once for the module."""
    peru = CountryFactory(code="PE")
    argentina = CountryFactory(code="AR", subregion="south_america")
    mexico = CountryFactory(code="MX", subregion="central_america")
    lima = CityFactory(country=peru, name="Lima", region="Lima", time_zone="America/Lima")
    rosario = CityFactory(country=argentina, name="Rosario", region="Santa Fe", time_zone="America/Argentina/Cordoba")
    appointed_on = datetime.date(2025, 3, 1)
    alicia = UserFactory(username="alicia", first_name="Alicia", password=PASSWORD)
    ambassador_services.ambassador_appoint(city=lima, user=alicia, appointed_on=appointed_on)
    bruno = UserFactory(username="bruno", first_name="Bruno", password=PASSWORD)
    ambassador_services.ambassador_appoint(city=rosario, user=bruno, appointed_on=appointed_on)
    carla = UserFactory(username="carla", first_name="Carla", password=PASSWORD)
    ambassador_services.coordinator_set_scope(user=carla, countries=[peru])
    diego = UserFactory(username="diego", first_name="Diego", password=PASSWORD)
    ambassador_services.coordinator_set_scope(user=diego, countries=[mexico])
    admin = UserFactory(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    users = dict(zip(ROLES, [None, alicia, bruno, carla, diego, admin], strict=True))
    return users, lima


def _lima_report(lima, ambassador):
    period = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    report = ProgressReport.objects.create(
        city=lima,
        kind="month",
        period_start=period.start,
        period_end=period.end,
        status=ProgressReport.Status.READY,
        requested_by=ambassador,
        snapshot=build_snapshot(city=lima, kind="month", period=period),
        generated_at=timezone.now(),
    )
    report.pdf_file.save("lima-month-2026-10.pdf", ContentFile(pdf_bytes("Informe")), save=True)
    return report


# Models whose rows _new_row() cannot make: label -> a function that makes one from the model.
MAKERS = {}

_PLAIN_VALUES = [  # checked in order: subclasses (EmailField is a CharField) first
    (models.EmailField, "matrix@example.org"),
    (models.URLField, "https://example.org/"),
    (models.GenericIPAddressField, "127.0.0.1"),
    (models.BooleanField, False),
    (models.DateTimeField, TODAY),
    (models.DateField, TODAY.date()),
    (models.TimeField, datetime.time(12, 0)),
    (models.DecimalField, Decimal(1)),
    (models.FloatField, 1.0),
    (models.IntegerField, 1),
    (models.UUIDField, uuid.UUID(int=1)),
    (models.JSONField, {}),
    (models.CharField, "matrix"),
    (models.TextField, "matrix"),
]


def _new_row(model):
    """A row of a model nobody made one of: a plain value in every field that needs one."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.auto_created or field.has_default() or field.null or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False) or (
            field.blank and isinstance(field, models.CharField | models.TextField)
        ):
            continue
        if field.is_relation:
            related = field.related_model
            values[field.name] = related._default_manager.order_by("pk").first() or _new_row(related)
        elif field.choices:
            values[field.name] = field.flatchoices[0][0]
        else:
            plain = next((value for kind, value in _PLAIN_VALUES if isinstance(field, kind)), None)
            assert plain is not None, f"No plain value for {model._meta.label}.{field.name}: add a maker to MAKERS"
            values[field.name] = plain
    with transaction.atomic():
        return model._default_manager.create(**values)


def admin_object(world, model):
    """The object a ModelAdmin's URLs open: the world's own, else the first row, else a new one.
    Looked up in each test (whose changes are rolled back), so one model without an object fails
    only its own URLs."""
    label = model._meta.label_lower
    if label in world.admin_objects:
        return world.admin_objects[label]
    existing = model._default_manager.order_by("pk").first()
    if existing is not None:
        return existing
    return MAKERS[label](model) if label in MAKERS else _new_row(model)


def _build_world(media_root):
    users, lima = _cast()
    ambassador = users["ambassador"]
    clients, cookies = {}, {}
    for role, user in users.items():
        clients[role] = Client()  # enforce_csrf_checks=False: this is about access, not CSRF
        if user is not None:
            clients[role].force_login(user)
        cookies[role] = copy.deepcopy(clients[role].cookies)

    draft, evidence, submitted, target = lima_work(ambassador, lima)
    commitment = draft.commitment
    report = _lima_report(lima, ambassador)
    hazards = lima_hazards(ambassador)
    plans = lima_plans(ambassador, users["coordinator"])
    public = lima_public(users["admin"])
    invitations = _peru_invitations(users)
    left_behind = lima_left_behind(lima, commitment)
    alicia_term = Ambassador.objects.get(user=ambassador)

    admin_objects = {
        "auth.user": ambassador,
        "auth.group": ambassador.groups.get(name=AMBASSADORS_GROUP),
        "ambassadors.country": lima.country,
        "ambassadors.city": lima,
        "ambassadors.ambassador": alicia_term,
        "ambassadors.coordinator": Coordinator.objects.get(user=users["coordinator"]),
        "commitments.commitment": commitment,
        "commitments.action": draft,
        "commitments.target": target,
        "commitments.exchangerate": ExchangeRate.objects.create(
            currency="PEN", usd_per_unit=Decimal("0.27"), effective_on=datetime.date(2026, 1, 1)
        ),
        "reports.progressreport": report,
        "core.emailpreferences": EmailPreferences.objects.create(user=ambassador, reminders="weekly"),
        "core.outgoingemail": OutgoingEmail.objects.create(
            key="decision:0", recipient=ambassador, to=ambassador.email, subject="Acción aprobada", body="…"
        ),
        "practices.exchange": ExchangeFactory(by=ambassador),
        "reports.digest": Digest.objects.create(recipient=ambassador, kind="reminders", period_key="2026-11-23"),
        "hazards.hazardevent": hazards["event"],
        "hazards.hazardresponse": hazards["response"],
        "kinds.training": TrainingFactory(by=ambassador),
        "kinds.participationmechanism": ParticipationFactory(by=ambassador),
        "kinds.publicpolicy": PolicyFactory(by=ambassador),
        "public.publicpage": public["lima"],
        "invitations.invitation": invitations["callao"],
        "terms.handover": Handover.objects.create(
            outgoing=left_behind.ambassador,
            successor=alicia_term,
            at=TODAY,
            read_access_until=datetime.date(2025, 3, 30),
        ),
        "terms.termreminder": TermReminder.objects.create(
            appointment=alicia_term,
            threshold=60,
            recipient=ambassador,
            term_ends_on=datetime.date(2027, 1, 20),
            sent_at=TODAY,
        ),
    }
    return World(
        users,
        clients,
        cookies,
        media_root,
        lima,
        commitment,
        draft,
        evidence,
        submitted,
        target,
        report,
        _lima_practices(users),
        lima_pipeline(ambassador),
        plans,
        hazards,
        admin_objects,
        public,
        invitations,
    )


def _peru_invitations(users):
    callao = CityFactory(country=users["coordinator"].coordinator.countries.get(), name="Callao")
    invitation = invitation_services.invitation_create(
        by=users["coordinator"], email="nora@example.org", full_name="Nora Nueva", role="ambassador", city=callao
    )
    return {"callao": invitation, "arequipa": CityFactory(country=callao.country, name="Arequipa")}


def _lima_practices(users):
    """Lima's practices in three states, the submitted one sharing one of its action's two files,
    and Rosario replicating the published one with a draft of its own linked."""
    alicia, bruno = users["ambassador"], users["other_ambassador"]
    source = ActionFactory(by=alicia, title="Escuela de escucha activa")
    shared, unshared = (
        commitment_services.evidence_add_file(action=source, by=alicia, uploaded_file=upload(name, pdf_bytes()))
        for name in ("foto.pdf", "interno.pdf")
    )
    commitment_services.action_submit(action=source, by=alicia)
    commitment_services.action_approve(action=source, by=users["admin"])
    published = PracticeFactory(by=alicia, actions=[source], status="published", reviewer=users["coordinator"])
    replication = practice_services.replication_start(practice=published, by=bruno)
    link = practice_services.replication_link(replication=replication, action=ActionFactory(by=bruno), by=bruno)
    return {
        "draft": PracticeFactory(by=alicia, actions=[source]),
        "submitted": PracticeFactory(by=alicia, actions=[source], evidence=[shared], status="submitted"),
        "published": published,
        "shared": shared,
        "unshared": unshared,
        "link": link,
    }


# As the root conftest's _test_settings, which is function-scoped: the module's users are made before it runs.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    static_root = tmp_path_factory.mktemp("static")
    # An empty STATIC_ROOT: WhiteNoise walks it when a client loads its middleware.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, STATIC_ROOT=static_root, PASSWORD_HASHERS=FAST_HASHERS),
        time_machine.travel(TODAY, tick=False),
        transaction.atomic(),
    ):
        yield _build_world(media_root)
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db, settings):
    # The root conftest gives each test its own MEDIA_ROOT: the world's files are in the module's.
    settings.MEDIA_ROOT = module_world.media_root
    return module_world


# Arguments and POST bodies ------------------------------------------------------------------


def _admin_path(name, *args, query=None):
    path = reverse(name, args=args)
    return f"{path}?{urlencode(query)}" if query else path


# URL name -> arguments for reverse(), or the path itself (a str starting with "/").
ARGS = {
    "password_reset_confirm": lambda w: [
        urlsafe_base64_encode(force_bytes(w.users["ambassador"].pk)),
        default_token_generator.make_token(w.users["ambassador"]),
    ],
    "ambassadors:city": lambda w: [w.lima.pk],
    "appointments:letter_of": lambda w: [Ambassador.objects.current().get(user=w.users["ambassador"]).pk],
    "appointments:verify": lambda w: [
        AppointmentLetter.objects.get(appointment__user=w.users["ambassador"], revoked_at__isnull=True).code
    ],
    "commitments:action_create": lambda w: [w.commitment.pk],
    "commitments:action": lambda w: [w.draft.pk],
    "commitments:action_edit": lambda w: [w.draft.pk],
    "commitments:action_submit": lambda w: [w.draft.pk],
    "commitments:action_withdraw": lambda w: [w.submitted.pk],
    "commitments:action_delete": lambda w: [w.draft.pk],
    "commitments:action_review": lambda w: [w.submitted.pk],
    "commitments:evidence_upload": lambda w: [w.draft.pk],
    "commitments:evidence_download": lambda w: [w.evidence.pk],
    "commitments:evidence_delete": lambda w: [w.evidence.pk],
    "reports:city_progress": lambda w: [w.lima.pk],
    "commitments:target_create": lambda w: [w.lima.pk],
    "commitments:target_edit": lambda w: [w.target.pk],
    "reports:report": lambda w: [w.report.pk],
    "reports:report_status": lambda w: [w.report.pk],
    "reports:report_retry": lambda w: [w.report.pk],
    "reports:report_download": lambda w: [w.report.pk, "pdf"],
    "practices:practice": lambda w: [w.practices["submitted"].pk],
    "practices:feature": lambda w: [w.practices["published"].pk],
    "practices:evidence": lambda w: [w.practices["submitted"].pk, w.practices["shared"].pk],
    "practices:edit": lambda w: [w.practices["draft"].pk],
    "practices:submit": lambda w: [w.practices["draft"].pk],
    "practices:review": lambda w: [w.practices["submitted"].pk],
    "practices:replicate": lambda w: [w.practices["published"].pk],
    "practices:replication": lambda w: [w.practices["link"].replication_id],
    "practices:replication_unlink": lambda w: [w.practices["link"].pk],
    "funding:board": lambda w: [w.lima.pk],
    "funding:board_stage": lambda w: [w.lima.pk, "identified"],
    "funding:opportunity": lambda w: [w.pipeline["awarded"].pk],
    "funding:opportunity_edit": lambda w: [w.pipeline["identified"].pk],
    "funding:opportunity_move": lambda w: [w.pipeline["identified"].pk],
    "funding:disbursement_add": lambda w: [w.pipeline["awarded"].pk],
    "funding:disbursement_remove": lambda w: [w.pipeline["disbursement"].pk],
    "funding:opportunity_document_add": lambda w: [w.pipeline["awarded"].pk],
    "funding:document": lambda w: [w.pipeline["document"].pk],
    "funding:document_remove": lambda w: [w.pipeline["document"].pk],
    "funding:city_plan": lambda w: [w.lima.pk],
    "funding:plan": lambda w: [w.plans["in_force"].pk],
    "funding:plan_edit": lambda w: [w.plans["draft"].pk],
    "funding:milestone_create": lambda w: [w.plans["draft"].pk],
    "funding:milestone_edit": lambda w: [w.plans["draft_milestone"].pk],
    "funding:milestone_remove": lambda w: [w.plans["draft_milestone"].pk],
    "funding:milestone_status": lambda w: [w.plans["milestone"].pk],
    "funding:plan_submit": lambda w: [w.plans["draft"].pk],
    "funding:plan_review": lambda w: [w.plans["submitted"].pk],
    "funding:plan_revise": lambda w: [w.plans["in_force"].pk],
    "funding:plan_document_add": lambda w: [w.plans["draft"].pk],
    "terms:term": lambda w: [w.admin_objects["ambassadors.ambassador"].pk],
    "terms:renew": lambda w: [w.admin_objects["ambassadors.ambassador"].pk],
    "terms:successor": lambda w: [w.admin_objects["ambassadors.ambassador"].pk],
    "terms:take_over": lambda w: [lima_left_behind(w.lima, w.commitment).pk],
    "terms:discard": lambda w: [lima_left_behind(w.lima, w.commitment).pk],
    "hazards:event": lambda w: [w.hazards["event"].pk],
    "hazards:event_edit": lambda w: [w.hazards["event"].pk],
    "invitations:resend": lambda w: [w.invitations["callao"].pk],
    "invitations:revoke": lambda w: [w.invitations["callao"].pk],
    "invitations:accept": lambda w: [token_for(w.invitations["callao"])],
    "public:city": lambda w: [w.public["lima"].slug],
    "public:decide": lambda w: [w.public["cusco"].pk],
    "exchanges:exchange": lambda w: [w.admin_objects["practices.exchange"].pk],
    "exchanges:edit": lambda w: [w.admin_objects["practices.exchange"].pk],
    "imports:upload": lambda w: ["actions"],
    "imports:export": lambda w: reverse("imports:export", args=["actions", "xlsx"]) + f"?city={w.lima.pk}",
    "imports:job": lambda w: [_import_job(w).pk],
    "imports:job_status": lambda w: [_import_job(w).pk],
    "imports:job_apply": lambda w: [_import_job(w).pk],
    "imports:job_cancel": lambda w: [_import_job(w).pk],
    "api:token_revoke": lambda w: [ApiTokenFactory(user=w.users["ambassador"]).pk],
    "api:axis-detail": lambda w: [w.commitment.axis_id],
    "api:commitment-detail": lambda w: [w.commitment.pk],
    "api:indicator-detail": lambda w: [w.target.indicator_id],
    "api:city-detail": lambda w: [w.lima.pk],
    "api:action-detail": lambda w: [w.draft.pk],
    "api:action-submit": lambda w: [w.draft.pk],
    "api:action-approve": lambda w: [w.submitted.pk],
    "api:action-return": lambda w: [w.submitted.pk],
    "api:target-detail": lambda w: [w.target.pk],
    "api:report-detail": lambda w: [w.report.pk],
    "api:practice-detail": lambda w: [w.practices["draft"].pk],
    "api:plan-detail": lambda w: [w.plans["in_force"].pk],
    "api:opportunity-detail": lambda w: [w.pipeline["identified"].pk],
    "admin:app_list": lambda w: ["commitments"],
    "admin:autocomplete": lambda w: _admin_path(
        "admin:autocomplete", query={"app_label": "commitments", "model_name": "target", "field_name": "city"}
    ),
    "admin:view_on_site": lambda w: [ContentType.objects.get_for_model(Action).pk, w.draft.pk],
    "admin/(?P<url>.*)$": lambda w: reverse("admin:index") + "no-such-page/",
}


def _import_job(world):
    """Alicia's checked import of one new action of Lima, ready to confirm (made in the test's
    transaction, rolled back with it)."""
    return ImportJobFactory(
        user=world.users["ambassador"],
        city=world.lima,
        status="ready",
        columns=["commitment", "title"],
        rows=[{"number": 2, "id": "", "state": "new", "cells": {"commitment": "3.1", "title": "Importada"}}],
    )


def _first_version(obj):
    """django-simple-history: the object's oldest historical record (saving makes one if it has none,
    as rows the migrations seeded before the history tables existed)."""
    if not obj.history.exists():
        obj.save()
    return obj.history.order_by("history_id").first()


# A ModelAdmin's URLs, by their {app}/{model} row name -> arguments from the model's object.
ADMIN_ARGS = {
    "admin:{app}_{model}_changelist": lambda obj: [],
    "admin:{app}_{model}_add": lambda obj: [],
    "admin:{app}_{model}_history": lambda obj: [obj.pk],
    "admin:{app}_{model}_delete": lambda obj: [obj.pk],
    "admin:{app}_{model}_change": lambda obj: [obj.pk],
    "admin/{app}/{model}/<path:object_id>/": lambda obj: reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    ).removesuffix("change/"),
    "admin:{app}_{model}_password_change": lambda obj: [obj.pk],
    "admin:{app}_{model}_simple_history": lambda obj: [obj.pk, _first_version(obj).history_id],
    "admin:{app}_{model}_config": lambda obj: [obj.pk],
    "admin:{app}_{model}_qrcode": lambda obj: [obj.pk],
}


def _action_form(title):
    return {
        "title": title,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "save": "",
    }


def _practice_form(world, title):
    practice = world.practices["draft"]
    return {"title": title, "actions": [action.pk for action in practice.actions.all()], "save": ""}


def _exchange_form(title):
    return {
        "kind": "visit",
        "title": title,
        "started_on": "2026-09-01",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Barcelona",
        "partners-0-country": "ES",
        "partners-1-name": "Oporto",
        "partners-1-country": "PT",
    }


def _event_form(title):
    return {"hazard": "flood", "title": title, "started_on": "2026-11-01", "people_affected": "40", "currency": "PEN"}


def _opportunity_form(title):
    return {
        "funder_name": "Fondo local",
        "title": title,
        "amount": "1000",
        "currency": "USD",
        "identified_on": "2026-11-01",
    }


def _plan_form():
    return {
        "diagnosis_summary": "Diagnóstico revisado",
        "diagnosis_on": "2026-10-01",
        "strategy": "Movilidad eléctrica\nResiduos",
    }


def _milestone_form(title):
    return {"horizon": "medium", "title": title, "due_on": "2029-06-30", "responsible": "Secretaría de Ambiente"}


def _target_form(indicator_code, horizon, target_value):
    return {
        "indicator": Indicator.objects.get(code=indicator_code).pk,
        "horizon": horizon,
        "baseline": "0",
        "baseline_year": "2025",
        "target_value": target_value,
        "due_on": "2030-12-31",
    }


# A body that does what the URL is for, so that a refused POST has something to refuse.
# Every role posts the same body; URLs not listed get a body that means nothing.
POST_BODIES = {
    "set_language": lambda w: {"language": "en", "next": "/"},
    "login": lambda w: {"username": "alicia", "password": PASSWORD},
    "password_change": lambda w: {"old_password": "wrong", "new_password1": "x-1", "new_password2": "x-1"},
    "password_reset": lambda w: {"email": w.users["ambassador"].email},
    "terms:renew": lambda w: {"term_ends_on": "2028-02-29"},
    "terms:successor": lambda w: {"user": get_user_model().objects.get(username="sucesora").pk},
    "commitments:action_create": lambda w: _action_form("Acción nueva"),
    "commitments:action_edit": lambda w: _action_form("Título cambiado"),
    "commitments:action_review": lambda w: {"decision": "approve", "comment": ""},
    "commitments:review_queue": lambda w: {"actions": [w.submitted.pk]},
    "commitments:evidence_upload": lambda w: {"files": [upload("otra.pdf", pdf_bytes())], "title": "Otra"},
    "commitments:target_create": lambda w: _target_form("1.2-a", "long", "1000"),
    "commitments:target_edit": lambda w: _target_form("1.2-a", "short", "900"),
    "reports:reports": lambda w: {"city": w.lima.pk, "kind": "month", "day": "2026-09-15", "language": "es"},
    "reports:scope_report_request": lambda w: {"scope": "PE", "kind": "quarter", "day": "2026-08-15", "language": "es"},
    "reports:email_preferences": lambda w: {"reminders": "never", "language": "en"},
    "login_code": lambda w: {"code": "123456"},
    "funding:opportunity_create": lambda w: _opportunity_form("Convocatoria nueva"),
    "funding:opportunity_edit": lambda w: _opportunity_form("Título cambiado"),
    "funding:opportunity_move": lambda w: {"to_stage": "preparing"},
    "funding:disbursement_add": lambda w: {"amount": "10.00", "received_on": "2026-11-20"},
    "funding:opportunity_document_add": lambda w: {"url": "https://example.org/bases", "title": "Bases"},
    "funding:plan_start": lambda w: {**_plan_form(), "diagnosis_summary": "Diagnóstico de Rosario"},
    "funding:plan_edit": lambda w: _plan_form(),
    "funding:milestone_create": lambda w: _milestone_form("Hito nuevo"),
    "funding:milestone_edit": lambda w: _milestone_form("Hito cambiado"),
    "funding:milestone_status": lambda w: {"status": "done"},
    "funding:plan_review": lambda w: {"decision": "approve", "comment": ""},
    "funding:plan_revise": lambda w: {"revision_reason": "Nuevo gobierno"},
    "funding:plan_document_add": lambda w: {"url": "https://example.org/estudio", "title": "Estudio"},
    "hazards:event_create": lambda w: _event_form("Inundación nueva"),
    "hazards:event_edit": lambda w: _event_form("Título cambiado"),
    "public:decide": lambda w: {"decision": "approve"},
    "invitations:create": lambda w: {
        "full_name": "Ana Arequipeña",
        "email": "ana@example.org",
        "language": "es",
        "role": "ambassador",
        "city": w.invitations["arequipa"].pk,
    },
    "exchanges:create": lambda w: _exchange_form("Intercambio nuevo"),
    "exchanges:edit": lambda w: _exchange_form("Título cambiado"),
    "imports:upload": lambda w: {"file": upload("acciones.csv", "compromiso,título\n3.1,Importada\n".encode())},
    "api:tokens": lambda w: {"name": "Matriz", "days": "30"},
    "api:action-list": lambda w: {"commitment": w.commitment.pk, "title": "Acción por la API"},
    "api:action-return": lambda w: {"comment": "Falta el acta."},
    "api:target-list": lambda w: {**_target_form("1.2-a", "long", "1000"), "city": w.lima.pk},
}


def _form_data(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _revert_body(obj, world):
    """What the admin's form for the object's oldest version posts: a revert to that version."""
    model_admin = django_admin.site._registry[type(obj)]
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    version = _first_version(obj).instance
    form = model_admin.get_form(request, version)(instance=version)
    body = {}
    for name in form.fields:
        bound = form[name]
        widget = getattr(bound.field.widget, "widget", bound.field.widget)  # admin wraps related widgets
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(bound.value())):
                body[f"{bound.html_name}_{index}"] = _form_data(part)
        else:
            body[bound.html_name] = _form_data(bound.value())
    return body


# A ModelAdmin's URLs, by their {app}/{model} row name -> a body from the model's object.
ADMIN_POST_BODIES = {
    "admin:{app}_{model}_changelist": lambda obj, w: {
        "action": "delete_selected",
        "_selected_action": [obj.pk],
        "index": "0",
        "post": "yes",
    },
    "admin:{app}_{model}_delete": lambda obj, w: {"post": "yes"},
    "admin:{app}_{model}_simple_history": _revert_body,
}


def url_of(pattern, world):
    """The path to open for this pattern, built from the world's objects."""
    if pattern.model_admin is not None:
        assert pattern.template in ADMIN_ARGS, f"No arguments for admin URL {pattern.template}: add them to ADMIN_ARGS"
        args = ADMIN_ARGS[pattern.template](admin_object(world, pattern.model_admin.model))
    elif pattern.name in ARGS:
        args = ARGS[pattern.name](world)
    else:
        assert pattern.url_name, f"No arguments for the unnamed URL {pattern.route}: add its path to ARGS"
        args = []
    path = args if isinstance(args, str) else reverse(pattern.url_name, args=args)
    # The path must reach this very pattern, not a neighbour that happens to match it too.
    reached = resolve(urlsplit(path).path).route
    assert reached == pattern.route, f"{path} reaches {reached!r}, not {pattern.route!r}"
    return path


def body_of(pattern, world):
    if pattern.model_admin is not None and pattern.template in ADMIN_POST_BODIES:
        return ADMIN_POST_BODIES[pattern.template](admin_object(world, pattern.model_admin.model), world)
    if pattern.name in POST_BODIES:
        return POST_BODIES[pattern.name](world)
    return {"access-matrix": "1"}


def _post(client, path, body):
    """The REST API reads JSON; the pages read forms."""
    if path.startswith(reverse("api:api-root")):
        return client.post(path, body, content_type="application/json")
    return client.post(path, body)


# Outcomes and the database fingerprint -------------------------------------------------------


def outcome(response, path):
    """The response as a MATRIX code (or a description that matches none)."""
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(response["Location"])
        login = reverse("admin:login") if path.startswith(reverse("admin:index")) else reverse("login")
        if path == reverse("admin:login"):
            return "REDIR"  # the admin's login is the site's (with its second factor)
        if location.path in (reverse("admin:login"), reverse("login")):
            next_url = parse_qs(location.query).get("next", [None])[0]
            if location.path == login and next_url == path:
                return "LOGIN"
            if next_url is not None:
                return f"a login redirect to {response['Location']}"
        return "REDIR"
    if 200 <= status < 300:
        return "OK"
    return str(status)


# What an allowed GET must answer, beyond its status.
CONTENT_TYPES = {
    "healthz": "application/json",
    "metrics": "text/plain; version=1.0.0; charset=utf-8",
    "offline:service_worker": "text/javascript; charset=utf-8",
    "offline:manifest": "application/manifest+json",
}


def matches(expected, actual, method):
    if expected == "OK" and method == "POST":
        return actual in ("OK", "REDIR")
    if expected == "NOOP":
        return actual in ("OK", "REDIR")
    return actual == expected


# The tests ---------------------------------------------------------------------------------


def test_the_matrix_covers_every_url_pattern(record_property):
    line = (
        f"Access matrix: {len(PATTERNS)} URL patterns × {len(ROLES)} roles × GET/POST"  # noqa: RUF001
        f" = {len(PATTERNS) * len(ROLES) * 2} checks"
    )
    record_property("terminal_summary", line)
    names = [pattern.name for pattern in PATTERNS]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    missing = [f"URL pattern {name} has no entry in the access matrix" for name in names if name not in EXPANDED]
    used = {pattern.template or pattern.name for pattern in PATTERNS}
    stale = [
        f"The access matrix has an entry for {row.name}, but no URL pattern has that name"
        for row in ROWS.values()
        if not row.optional and row.name not in used and row.name not in names
    ]
    if duplicates:
        pytest.fail(f"URL patterns share a name, so the matrix cannot tell them apart: {duplicates}", pytrace=False)
    if missing or stale:
        pytest.fail("\n".join(missing + stale), pytrace=False)


@pytest.mark.parametrize("pattern", PATTERNS, ids=[pattern.name for pattern in PATTERNS])
def test_access(pattern, world):
    if pattern.name not in EXPANDED:
        pytest.fail(f"URL pattern {pattern.name} has no entry in the access matrix", pytrace=False)
    row = EXPANDED[pattern.name]
    path = url_of(pattern, world)
    before = fingerprint()
    failures = []
    for role in ROLES:
        client = world.clients[role]
        for method, expected in (("GET", row.get[role]), ("POST", row.post[role])):
            client.cookies = copy.deepcopy(world.cookies[role])
            with transaction.atomic():
                response = client.get(path) if method == "GET" else _post(client, path, body_of(pattern, world))
                if response.streaming:
                    # Read to the end: the test client then closes the file, without letting the
                    # request_finished signal close the database connection of the open transaction.
                    b"".join(response.streaming_content)
                actual = outcome(response, path)
                where = f"{pattern.name} [{path}] as {role}, {method}"
                if not matches(expected, actual, method):
                    failures.append(f"{where}: expected {expected}, got {actual} (HTTP {response.status_code})")
                elif method == "GET" and actual == "OK" and pattern.name in CONTENT_TYPES:
                    if response["Content-Type"] != CONTENT_TYPES[pattern.name]:
                        failures.append(
                            f"{where}: answered {response['Content-Type']}, not {CONTENT_TYPES[pattern.name]}"
                        )
                elif expected in UNCHANGED:
                    changed = changed_tables(before, fingerprint())
                    if changed:
                        failures.append(f"{where}: refused ({actual}) but changed the database: {', '.join(changed)}")
                transaction.set_rollback(True)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
