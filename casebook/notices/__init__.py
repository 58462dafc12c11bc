"""casebook.notices: public versions of penalty decisions (行政处罚信息公示) and 典型案例 texts.

:mod:`~casebook.notices.personal_data` removes personal data and checks that none is left;
:mod:`~casebook.notices.public_notice` builds the fields to publish from a case folder;
:mod:`~casebook.notices.notice_writer` writes HTML and PDF and refuses a notice whose HTML or PDF
text still holds an ID number, a mobile number, a bank card or an e-mail address.
"""
