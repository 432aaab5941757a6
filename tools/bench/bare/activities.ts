import type { Transporter } from 'nodemailer';

export interface BareMail {
  to: string;
  subject: string;
  text: string;
}

export interface BareActivities {
  sendBareMail(mail: BareMail): Promise<void>;
}

/** One activity: the mail goes straight to SMTP, with no policy, no records, no rendering. */
export function createBareActivities(mailer: Transporter, from: string): BareActivities {
  return {
    async sendBareMail(mail) {
      await mailer.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
