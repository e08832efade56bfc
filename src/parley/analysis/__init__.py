"""Analysis over extracted records: shifts, timelines, corroboration, the negotiation map."""
