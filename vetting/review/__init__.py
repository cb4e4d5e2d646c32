"""The joint review (联审): requests to departments, their returns merged with provenance,
the ledger, the 资格审查表 and the 汇总表 (the `vetting review` commands live in `vetting.cli_review`)."""
