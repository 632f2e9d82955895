// Make the copy button of a console transcript copy only its commands.
//
// Material for MkDocs 9.8.2 copies the text of a code block, prompts and
// output included, unless the code element has a data-copy attribute: then it
// copies that attribute. For each block with a prompt (Pygments marks prompts
// with the class "gp"), this sets data-copy to the command lines without their
// prompts. A line ending in a backslash continues the command on the next
// line. Output lines, which have no prompt, are left out.
document$.subscribe(function () {
  for (const code of document.querySelectorAll(".highlight code")) {
    if (code.querySelector(".gp")) {
      code.dataset.copy = commandsOf(code).join("\n");
    }
  }
});

function commandsOf(code) {
  const commands = [];
  let line = "";
  let startsWithPrompt = null;  // unknown until the line's first text
  let continues = false;        // the previous command line ended with a backslash

  function endLine() {
    if (startsWithPrompt || continues) {
      commands.push(line);
      continues = line.endsWith("\\");
    }
    line = "";
    startsWithPrompt = null;
  }

  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const isPrompt = node.parentElement.closest(".gp") !== null;
    const parts = node.textContent.split("\n");
    parts.forEach(function (part, index) {
      if (index > 0) endLine();
      if (part === "") return;
      if (startsWithPrompt === null) startsWithPrompt = isPrompt;
      if (!isPrompt) line += part;
    });
  }
  endLine();
  return commands;
}
