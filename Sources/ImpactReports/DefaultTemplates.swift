/// The templates the tool ships, compiled in so that an installed binary needs no resource
/// files. `report --templates DIR` replaces any of them with `DIR/<name>.mustache`; see
/// docs/TEMPLATES.md for the values each one receives.
enum DefaultTemplates {
    static let all: [String: String] = [
        "draft": draft,
        "summary": summary,
    ]

    /// The notice to one affected reseller. `draft.<language>` is used when it exists.
    static let draft = """
    {{% CONTENT_TYPE: MARKDOWN}}
    - **To:** {{#contact_name}}{{contact_name}}, {{/contact_name}}{{contact_email}}
    - **Subject:** {{subject}}
    - **Attach:** {{{csv_file}}}

    ---

    Dear {{greeting}},

    {{#full}}
    a storage failure on our mail platform has taken **all of your customers' mailboxes offline**:
    {{#one_mailbox}}the one mailbox{{/one_mailbox}}{{^one_mailbox}}every one of the {{mailboxes}} mailboxes{{/one_mailbox}} you have with us is affected.
    {{/full}}
    {{#partial}}
    a storage failure on our mail platform has taken **some of your customers' mailboxes offline**:
    {{affected_mailboxes}} of your {{mailboxes}} mailboxes, at {{affected_customers}} of your {{customers}} customers.
    All your other mailboxes work normally.
    {{/partial}}

    ## What is affected

    - Mailboxes offline: **{{affected_mailboxes}} of {{mailboxes}}** ({{affected_percent}})
    - Customers affected: **{{affected_customers}} of {{customers}}**; {{customers_full_text}}
    - Storage volumes concerned:
    {{#volumes}}
      - {{volume}}: {{mailboxes}} of your mailboxes{{#expected_back}}, expected back {{expected_back}}{{/expected_back}}
    {{/volumes}}

    ## Affected customers

    | Customer | Customer ID | Mailboxes offline | Status |
    |---|---|---:|---|
    {{{affected_customer_table_rows}}}

    The attached file {{{csv_file}}} lists every affected mailbox with its customer, domain and volume.
    {{#unaffected_customers}}
    Your other {{unaffected_customers}} customers are not affected.
    {{/unaffected_customers}}

    ## What happens next

    The affected volumes are being restored one after another, and each mailbox comes back as soon as its volume does.
    {{#expected_back_note}}
    {{expected_back_note}}
    {{/expected_back_note}}
    We will write to you again when your mailboxes are back.

    Kind regards,

    {{sender}}

    """

    /// The incident team's overview.
    static let summary = """
    {{% CONTENT_TYPE: MARKDOWN}}
    # Incident summary: {{offline_count}} offline volume{{^one_volume}}s{{/one_volume}}

    Offline: {{#offline_volumes}}{{volume}}{{separator}}{{/offline_volumes}}

    | | |
    |---|---:|
    | Mailboxes in all | {{mailboxes}} |
    | Mailboxes offline | {{affected_mailboxes}} ({{affected_percent}}) |
    | Resellers fully affected | {{resellers_full}} |
    | Resellers partially affected | {{resellers_partial}} |
    | Resellers not affected | {{resellers_none}} |
    | Unattributed mailboxes (offline of all) | {{unattributed_affected_mailboxes}} of {{unattributed_mailboxes}} |

    ## Offline volumes

    | Volume | Mailboxes | Resellers affected |
    |---|---:|---:|
    {{#volumes}}
    | {{volume}} | {{mailboxes}} | {{resellers}} |
    {{/volumes}}

    ## Fully affected resellers ({{resellers_full}})

    {{#has_full}}
    | Reseller | ID | Mailboxes offline | Customers | Draft |
    |---|---|---:|---:|---|
    {{/has_full}}
    {{#full_resellers}}
    | {{name}} | {{reseller_id}} | {{affected_mailboxes}} of {{mailboxes}} | {{customers}} | [{{{file_id}}}.md](resellers/{{{file_id}}}.md) |
    {{/full_resellers}}
    {{^full_resellers}}
    None.
    {{/full_resellers}}

    ## Partially affected resellers ({{resellers_partial}})

    {{#has_partial}}
    | Reseller | ID | Mailboxes offline | Customers affected | Draft |
    |---|---|---:|---:|---|
    {{/has_partial}}
    {{#partial_resellers}}
    | {{name}} | {{reseller_id}} | {{affected_mailboxes}} of {{mailboxes}} | {{affected_customers}} of {{customers}} | [{{{file_id}}}.md](resellers/{{{file_id}}}.md) |
    {{/partial_resellers}}
    {{^partial_resellers}}
    None.
    {{/partial_resellers}}

    ## Unattributed mailboxes

    {{unattributed_mailboxes}} mailboxes reach no reseller, {{unattributed_affected_mailboxes}} of them offline.
    They are in no reseller's draft: someone has to find out whose they are.

    {{#has_unattributed}}
    | Mailbox | Volume | Offline | Why it is unattributed |
    |---|---|---|---|
    {{/has_unattributed}}
    {{#unattributed_rows}}
    | {{address}} | {{volume}} | {{offline}} | {{reason}} |
    {{/unattributed_rows}}

    ## Data problems in the stored exports

    - Rejected rows: {{rejects}}{{#rejects_by_entity}} ({{text}}){{/rejects_by_entity}}; list them with `reseller-impact rejects`
    - Customers whose reseller is unknown: {{customers_with_unknown_reseller}}
    - Domains whose customer is unknown: {{domains_with_unknown_customer}}
    - Mailboxes whose domain belongs to no customer: {{mailboxes_with_unknown_domain}}

    """
}
