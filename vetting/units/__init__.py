"""The unit table (单位信息): facts about each village/community that the roster does not hold
(seats, candidates, party members, publication dates), read like a roster and joined to it by
(district, township, unit). The election procedure rules (PR) read it; see
`vetting.checks.unit_facts`."""
