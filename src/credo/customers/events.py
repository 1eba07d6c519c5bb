from django.utils.translation import gettext_lazy as _

from credo.core import timeline

CREATED = timeline.register("customer.created", _("Customer created"), "user-plus", "green")
CHANGED = timeline.register("customer.changed", _("Customer file changed"), "edit", "blue")
REASSIGNED = timeline.register("customer.reassigned", _("Account manager changed"), "switch-horizontal", "purple")
MERGED = timeline.register("customer.merged", _("Duplicate merged in"), "git-merge", "orange")
CONTACT_ADDED = timeline.register("contact.added", _("Contact added"), "address-book", "teal")
CONTACT_CHANGED = timeline.register("contact.changed", _("Contact changed"), "address-book", "teal")
BANK_CHANGED = timeline.register("bank.changed", _("Bank account changed"), "building-bank", "yellow")
ATTACHMENT_ADDED = timeline.register("attachment.added", _("Attachment added"), "paperclip", "secondary")
NOTE_ADDED = timeline.register("note.added", _("Note"), "note", "secondary")
IMPORTED = timeline.register("customer.imported", _("Imported"), "file-import", "secondary")
