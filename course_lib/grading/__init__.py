"""The instructor's side of the course, standing apart from the kernels, nn and views.

- :mod:`.checks`: the instant checks a student's notebook calls (salted hashes from
  :mod:`.hashing`, hints; blank exercises from :mod:`.blanks`);
- :mod:`.regions` and :mod:`.feedback`: the source notebooks' marker regions, and feedback
  without hidden tests;
- :mod:`.sandbox`, :mod:`.execute`, :mod:`.rebuild`: a submission rebuilt from the release and
  run in bubblewrap;
- :mod:`.judge`, :mod:`.plain`, :mod:`.probe`, :mod:`.remote`, :mod:`.specs`: hidden tests as
  judge specifications, verdicts computed outside the student's process; :mod:`.callees` and
  :mod:`.reach`: what of course_lib the probe switches off for the answers;
- :mod:`.variants`, :mod:`.variants_dense`, :mod:`.variants_conv`: each student's own numbers
  in the value exercises, drawn from the student id;
- :mod:`.batch`, :mod:`.unit`, :mod:`.parallel`, :mod:`.report`: ``make grade``;
- :mod:`.publish` and :mod:`.leaks`: the student repository, scanned for leaks.

Nothing here is imported by ``course_lib`` itself; a student's kernel imports only
:mod:`.checks`, :mod:`.judge` (its ``@judge`` runs the source notebook's own specs) and
:mod:`.variants`.
"""
