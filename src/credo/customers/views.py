from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def customer_list(request):
    return HttpResponse("list")


customer_create = customer_detail = customer_edit = customer_reassign = customer_merge = customer_list
contact_create = contact_edit = bank_account_create = competitor_create = attachment_create = note_create = customer_list
