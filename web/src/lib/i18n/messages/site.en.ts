import type { siteFr } from './site.fr';

/** English messages of the site screens: the same keys as site.fr.ts. */
export const siteEn: { readonly [K in keyof typeof siteFr]: string } = {
	'site.navBootcamp': 'Bootcamp',
	'site.navIntake': 'Start a project',

	'site.metaTitle': 'Fataplus · UX/UI and product design agency in Madagascar',
	'site.metaDescription':
		'Fataplus designs clear apps and websites for companies, cooperatives and NGOs in Madagascar: UX/UI and product design, AgriTech, and a 12-week Figma bootcamp.',

	'site.heroEyebrow': 'Fataplus · UX/UI agency in Antananarivo',
	'site.heroTitle': 'Clear digital products, designed in Madagascar',
	'site.heroLead':
		'We design apps and websites that people understand the first time, for companies, cooperatives and NGOs. And we train the designers of tomorrow.',
	'site.ctaIntake': 'Start a project',
	'site.ctaBootcamp': 'Discover the bootcamp',
	'site.welcomeBack': 'Hello {name}! Your projects are waiting in your space.',
	'site.ctaMySpace': 'Go to my space',

	'site.servicesTitle': 'What we do',
	'site.servicesLead': 'A small team of designers and researchers, from scoping to delivery.',
	'site.serviceDesignTitle': 'UX/UI and product design',
	'site.serviceDesignBody': 'User research, journeys, Figma mock-ups and prototypes, design systems: from an idea to an interface ready to build.',
	'site.serviceAgritechTitle': 'AgriTech',
	'site.serviceAgritechBody':
		'Tools for the field: offline apps for cooperatives, harvest tracking, price surveys. Made for small screens and patchy networks.',
	'site.serviceTrainingTitle': 'Training',
	'site.serviceTrainingBody': 'A 12-week Figma bootcamp and tailored workshops to help your teams grow.',

	'site.workTitle': 'Selected work',
	'site.workLead': 'A few recent projects, told simply. Our clients’ names stay theirs.',
	'site.workRole': 'Our part: {role}',
	'site.workCoopTag': 'AgriTech',
	'site.workCoopTitle': 'A farmers’ cooperative’s tracking app',
	'site.workCoopBody': 'A cooperative’s farmers record their harvests on their phones, even offline; the office follows volumes per plot every week.',
	'site.workCoopRole': 'field interviews, offline journeys, mock-ups and tests with the farmers',
	'site.workFintechTag': 'Fintech',
	'site.workFintechTitle': 'A microfinance institution’s account opening',
	'site.workFintechBody': 'A five-step mobile sign-up, readable on entry-level phones, that explains each document before asking for it.',
	'site.workFintechRole': 'audit of the existing journey, prototype, tests with customers in Antananarivo and Fianarantsoa',
	'site.workHealthTag': 'Health',
	'site.workHealthTitle': 'A health centre’s appointment booking',
	'site.workHealthBody': 'Booking a consultation in three screens, on the web or by phone, with a text reminder the day before.',
	'site.workHealthRole': 'workshops with the front-desk team, patient journey, design system and support during development',

	'site.processTitle': 'How a project runs',
	'site.processLead': 'Four steps, and you see the work move at each one.',
	'site.stepIntakeTitle': 'Your request',
	'site.stepIntakeBody': 'Describe your project in a few minutes: goals, audience, timing, budget. We answer within two working days.',
	'site.stepDiscoveryTitle': 'Discovery',
	'site.stepDiscoveryBody': 'Interviews, field visits and workshops to understand your users and set the scope.',
	'site.stepDesignTitle': 'Design in Figma, live reviews',
	'site.stepDesignBody': 'Mock-ups and prototypes shared in your Fataplus Live space: you comment and approve live with the team.',
	'site.stepDeliveryTitle': 'Delivery and follow-up',
	'site.stepDeliveryBody': 'Files ready for development, a documented design system, then follow-up of the numbers after launch.',

	'site.intakeTitle': 'Have a project in mind?',
	'site.intakeBody': 'A few minutes of questions are enough to start. We come back to you with questions and a first estimate.',

	'site.bootcampEyebrow': 'Training',
	'site.bootcampTitle': 'Figma bootcamp · 12 weeks',
	'site.bootcampBody':
		'Learn interface design with working designers: evenings and Saturdays, in Antananarivo or online, with a real project to present at the end.',
	'site.bootcampPrice': '{price} for the whole course',
	'site.bootcampLink': 'See the programme and apply'
};
