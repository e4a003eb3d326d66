// Entry point: connect to Firebase, then show the sign-in form, the refusal for accounts without
// the operator claim, or the live dashboard.
import { onAuthStateChanged, signOut } from "firebase/auth";
import { connect } from "./firebase";
import { $ } from "./dom";
import { startDashboard } from "./views/dashboard";
import { renderRefused, renderSignIn } from "./views/sign-in";
import "./style.css";

async function main(): Promise<void> {
  const root = $("#app");
  const { auth, db, emulated } = await connect();
  if (emulated) document.body.dataset.emulated = "true";
  let stop: (() => void) | null = null;
  onAuthStateChanged(auth, async (user) => {
    stop?.();
    stop = null;
    if (!user) {
      renderSignIn(root, auth);
      return;
    }
    // Force a refresh so a claim granted after the last sign-in is seen.
    const token = await user.getIdTokenResult(true);
    if (token.claims.operator !== true) {
      renderRefused(root, auth, user);
      return;
    }
    stop = startDashboard(root, db, user.email ?? user.uid);
    $("#sign-out", root).addEventListener("click", () => void signOut(auth));
  });
}

main().catch((err) => {
  document.body.insertAdjacentHTML(
    "beforeend",
    `<p class="error" role="alert">Console failed to start: ${String(err)}</p>`,
  );
});
